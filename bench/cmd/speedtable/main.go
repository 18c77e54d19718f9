// Command speedtable prints the ISA lanes uses on this machine and a short speed table of its
// element-wise kernels against Go's math package.
package main

import (
	"fmt"

	"github.com/lanesimd/lanes/kernels"
)

func main() {
	fmt.Printf("lanes ISA: %s (supported: %v)\n", kernels.ISA(), kernels.SupportedISAs())
}
