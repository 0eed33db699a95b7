package render_test

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

func ExampleWriteCardPNG() {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	var buf bytes.Buffer
	if err := render.WriteCardPNG(&buf, text, &render.Options{Holder: "张*华 **************002X"}); err != nil {
		panic(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		panic(err)
	}
	got, err := scan.Image(img) // as a checkpoint reads it from the screen
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy(), got == text, err)

	err = render.WriteCardPNG(&buf, text, &render.Options{Holder: "张*华 1101**********002X"})
	fmt.Println(errors.Is(err, render.ErrHolderShowsID))
	fmt.Println(err)
	// Output:
	// 1080 x 1920 true <nil>
	// true
	// render: holder line shows 8 characters of a number; a holder line may show at most the last 4 characters of an ID number (mask the rest with *, as in 张*华 **************002X)
}
