class Addition:
    def add(self, a: int, b: int) -> int:
        return a + b


class Multiplication:
    def multiply(self, a: int, b: int) -> int:
        return a * b
