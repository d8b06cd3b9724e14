"""New projects and templates: the bundled template catalog, `init` (a new project) and `new` (a template
added to a project)."""
