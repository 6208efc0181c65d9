// Command trivial does nothing: the benchmarks time starting it.
package main

func main() {}
