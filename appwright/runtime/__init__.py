"""The projects' runtime: each project's workspace, sandbox and supervised dev server.

It sits above ``sandbox`` (isolation, supervision), ``templates`` (files, dependency
cache) and below every domain that works on a running project. Version history is not
its concern: ``versions`` keeps each project's repository beside the workspace.
"""
