package render_test

import (
	"fmt"
	"os"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

func ExampleNewQR() {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		panic(err)
	}
	img := q.Image(4) // 4 pixels per module, with a quiet zone of 4 modules
	modules := img.Rect.Dx()/4 - 2*4
	fmt.Printf("%d characters: %d modules (version %d), %d px square\n", len(text), modules, (modules-17)/4, img.Rect.Dx())
	// Output: 223 characters: 61 modules (version 11), 276 px square
}

func ExampleWriteSheet() {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	f, err := os.CreateTemp("", "sheet-*.pdf")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	err = render.WriteSheet(f, text, &render.Options{Holder: "张*华 **************123X"})
	fmt.Println(err)
	err = render.WriteSheet(f, text, &render.Options{Holder: "王喆"})
	fmt.Println(err)
	// Output:
	// <nil>
	// render: character '喆' (U+5586) in "王喆" is not in the sheet font (GB 2312 + ASCII)
}
