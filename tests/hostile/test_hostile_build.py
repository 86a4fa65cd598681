"""Issue 12, items 7 and 10: ``tei build`` reads only its input folder, writes only into its
output folder (whatever links are planted there), and a rebuild removes exactly the stale
pages it wrote before."""

from __future__ import annotations

import shutil
import stat

from _hostile import EXAMPLES, ONE_PROCESS, Secret

PAGES = sorted(EXAMPLES.glob("*.txt"))


def _pages(secret: Secret, n: int) -> list[str]:
    for p in PAGES[:n]:
        shutil.copyfile(p, secret.inp / p.name)
    return [p.stem for p in PAGES[:n]]


# --------------------------------------------------------------------------- item 7: symlinks


def test_a_link_to_a_page_outside_the_input_is_not_published(cli, secret: Secret) -> None:
    _pages(secret, 1)
    page = secret.outside / "page.txt"
    page.write_text(PAGES[1].read_text(encoding="utf-8") + f"\n\n{secret.marker}\n")
    (secret.inp / "zz-link.txt").symlink_to(page)
    inside = secret.inp / "zz-inside-link.txt"
    inside.symlink_to(secret.inp / PAGES[0].name)  # a link inside the folder is fine
    r = cli("build", secret.inp, "-o", secret.out, "--no-pdf", *ONE_PROCESS)
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert r.code == 1, r.text
    assert [ln for ln in r.error_lines() if "zz-link.txt" in ln and "outside" in ln], r.err
    assert not (secret.out / "tei" / "zz-link.xml").exists()
    assert (secret.out / "tei" / "zz-inside-link.xml").is_file()


def test_index_over_a_set_id_symlink_is_a_plain_file(cli, secret: Secret) -> None:
    _pages(secret, 1)
    secret.out.mkdir()
    target = secret.outside / "setuid-program"
    target.write_bytes(b"keep me")
    target.chmod(0o4755)
    (secret.out / "index.html").symlink_to(target)
    r = cli("build", secret.inp, "-o", secret.out, "--no-pdf")
    r.assert_clean()
    assert target.read_bytes() == b"keep me", "the link's target was written"
    st = (secret.out / "index.html").lstat()
    assert stat.S_ISREG(st.st_mode) and not st.st_mode & (stat.S_ISUID | stat.S_ISGID | 0o111)


def test_assets_and_tei_links_in_the_output_are_not_written_through(cli, secret: Secret) -> None:
    _pages(secret, 1)
    secret.out.mkdir()
    for name in ("assets", "tei"):
        (secret.outside / name).mkdir()
        (secret.out / name).symlink_to(secret.outside / name)
    r = cli("build", secret.inp, "-o", secret.out, "--no-validate", "--no-pdf")
    r.assert_clean()
    assert r.code == 0, r.text
    assert list((secret.outside / "assets").iterdir()) == [], "CSS/JS landed outside"
    assert list((secret.outside / "tei").iterdir()) == [], "TEI landed outside"
    for name in ("assets", "tei"):
        assert (secret.out / name).is_dir() and not (secret.out / name).is_symlink()
    assert (secret.out / "assets" / "edition.css").is_file()


# --------------------------------------------------------------------------- item 10: stale pages


def test_rebuild_removes_the_stale_pages_it_owns_and_nothing_else(cli, secret: Secret) -> None:
    stems = _pages(secret, 4)
    build = ("build", secret.inp, "-o", secret.out, "--no-validate", "--no-pdf", *ONE_PROCESS)
    assert cli(*build).code == 0
    mine = secret.out / "notes.html"  # the user's own files in the edition folder
    mine.write_text("mine")
    (secret.out / "tei" / "extra.xml").write_text("<mine/>")
    for gone in stems[2:]:
        (secret.inp / f"{gone}.txt").unlink()
    r = cli(*build)
    r.assert_clean()
    assert r.code == 0, r.text
    for gone in stems[2:]:
        assert not (secret.out / f"{gone}.html").exists(), "a stale page was kept"
        assert not (secret.out / "tei" / f"{gone}.xml").exists(), "a stale TEI file was kept"
    for kept in stems[:2]:
        assert (secret.out / f"{kept}.html").is_file()
        assert (secret.out / "tei" / f"{kept}.xml").is_file()
    assert mine.read_text() == "mine" and (secret.out / "tei" / "extra.xml").is_file()
    assert (secret.out / "index.html").is_file() and (secret.out / "assets").is_dir()


def test_a_tampered_manifest_removes_nothing_outside(cli, secret: Secret) -> None:
    _pages(secret, 1)
    assert cli("build", secret.inp, "-o", secret.out, "--no-validate", "--no-pdf").code == 0
    victim = secret.outside / "secret.txt"
    (secret.out / "sub").symlink_to(secret.outside)
    manifest = secret.out / ".tei-build"
    manifest.write_text(
        manifest.read_text() + f"../outside/secret.txt\n{victim}\nsub/secret.txt\n.tei-build\n",
        encoding="utf-8",
    )
    r = cli("build", secret.inp, "-o", secret.out, "--no-validate", "--no-pdf")
    assert r.code == 0, r.text
    assert victim.is_file(), "a file outside the edition was removed"
    assert (secret.out / "sub").is_symlink()
