"""One cell to one conversion field in X's form: emails and phones hashed, click ids, times,
money, with the problem that keeps a value out. Uses only reading's cell types and the ground."""
