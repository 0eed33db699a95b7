// Command mkpng writes the hostile pictures of scripts/huge-pictures.sh
// into a directory: 10000×10000, 30000×30000 and 5000×5000 white PNGs (about 40 kB,
// 200 kB, 14 kB) and a 4000×4000 GIF named .png.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"

	"github.com/offcode/offcode/internal/testkit/picturetest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkpng DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	var g bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 4000, 4000), color.Palette{color.White, color.Black})
	if err := gif.Encode(&g, pal, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	files := map[string][]byte{
		"10000.png":   picturetest.WhitePNG(10000, 10000),
		"30000.png":   picturetest.WhitePNG(30000, 30000),
		"5000.png":    picturetest.WhitePNG(5000, 5000),
		"gif-big.png": g.Bytes(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s\t%d bytes\n", name, len(data))
	}
}
