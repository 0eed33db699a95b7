//go:build !(js && wasm)

// Command wasm is the browser verifier's WebAssembly program; it runs only
// in a browser. Build it with GOOS=js GOARCH=wasm (see package web).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "offcode-wasm: this program runs in a browser; build it with GOOS=js GOARCH=wasm")
	os.Exit(2)
}
