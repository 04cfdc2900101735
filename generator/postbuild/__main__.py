from generator.postbuild.cli import main

raise SystemExit(main())
