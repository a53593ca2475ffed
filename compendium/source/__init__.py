"""The sources: the content model, reading docs/ (files, YAML, front-matter) into it, and
validating it. Everything here is about what editors write; nothing here renders."""
