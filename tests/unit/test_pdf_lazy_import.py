"""The app's cold start must not pay for fpdf2 or fontTools."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_pdf_package_does_not_import_fpdf() -> None:
    code = (
        "import sys\n"
        "import leadcartel_desktop.pdf.renderer, leadcartel_desktop.pdf.batch\n"
        "import leadcartel_desktop.i18n.labels\n"
        "heavy = [name for name in ('fpdf', 'fontTools', 'babel', 'PIL') if name in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
