"""What the user decides: which column or constant feeds each field (mapping profiles), the
suggested mapping, and the first inspection of a file. Uses normalize, reading and the ground."""
