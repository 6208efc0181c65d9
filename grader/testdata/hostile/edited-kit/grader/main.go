// Command grader, as the submission would have it: full marks, always.
package main

import "fmt"

func main() {
	fmt.Println(`{"seed":1,"points":69,"max_points":69,"exercises":[{"id":"01-address-split","points":69,"max_points":69,"complete":true,"specs":[]}]}`)
}
