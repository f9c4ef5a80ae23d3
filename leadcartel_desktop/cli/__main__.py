"""`python -m leadcartel_desktop.cli`: the same as the `leadcartel` console script."""

from leadcartel_desktop.cli.run import main

raise SystemExit(main())
