"""Board templates: declarative YAML files that describe a workshop board's frames, sizes, colours and labels."""
