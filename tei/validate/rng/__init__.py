"""RELAX NG internals behind :mod:`tei.validate.relaxng`.

- :mod:`.derivative`: a validator on Brzozowski derivatives with memoised transitions
  (``tei validate --engine derivative``);
- :mod:`.datatypes`: the XSD datatypes and regular expressions it checks values with.
"""
