"""A fake LLM server speaking the Anthropic Messages and OpenAI Chat Completions wire
formats, replaying scenario files (see ``scenarios.py`` for the format and markers)."""

from testing.fake_llm.app import FakeLLMState, create_app
from testing.fake_llm.server import FakeLLMServer, main, run, serve

__all__ = ["FakeLLMServer", "FakeLLMState", "create_app", "main", "run", "serve"]
