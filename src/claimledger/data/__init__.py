"""Domain knowledge as data: vocabularies (YAML) and model weights (JSON), with their loader."""
