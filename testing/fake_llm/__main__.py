"""``python -m testing.fake_llm``: run the fake LLM server in the foreground."""

from testing.fake_llm.server import main

raise SystemExit(main())
