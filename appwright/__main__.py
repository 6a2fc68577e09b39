from appwright.cli import app

app(prog_name="appwright")
