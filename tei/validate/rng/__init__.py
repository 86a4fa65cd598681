"""RELAX NG internals behind :mod:`tei.validate.relaxng`.

- :mod:`.model`: the grammar read into Python objects (defines resolved, includes merged);
- :mod:`.diagnose`: re-walks an invalid document with the model to word libxml2's verdict
  ("did you mean" hints, expected elements and attributes);
- :mod:`.quick`: the quick form, with attribute-value choices left uncompiled;
- :mod:`.prune`: tei_all cut to the element names of a batch (the opt-in ``pruned`` form).
- :mod:`.derivative`: a validator on Brzozowski derivatives with memoised transitions
  (``tei validate --engine derivative``);
- :mod:`.datatypes`: the XSD datatypes and regular expressions it checks values with.
"""
