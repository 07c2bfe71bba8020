from mixtimer_gui.cli import main

raise SystemExit(main())
