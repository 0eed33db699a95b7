package render_test

import (
	"errors"
	"fmt"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

func ExampleCardImage() {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	img, err := render.CardImage(text, &render.CardOptions{Holder: "张*华 **************002X"})
	if err != nil {
		panic(err)
	}
	got, err := scan.Image(img) // as a checkpoint reads it from the screen
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy(), got == text, err)

	_, err = render.CardImage(text, &render.CardOptions{Holder: "张*华 1101**********002X"})
	fmt.Println(errors.Is(err, render.ErrHolderShowsID))
	fmt.Println(err)
	// Output:
	// 1080 x 1920 true <nil>
	// true
	// render: holder line shows 8 characters of a number; a holder line may show at most the last 4 characters of an ID number (mask the rest with *, as in 张*华 **************002X)
}
