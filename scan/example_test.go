package scan_test

import (
	"errors"
	"fmt"

	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

func ExamplePlane() {
	// A camera delivers a Y plane; here, a rendered symbol stands in for it.
	q, err := render.NewQR("OC1:6BFOXN*TS0BI$ZDFRH", render.LevelQ)
	if err != nil {
		panic(err)
	}
	img := q.Image(3)
	text, err := scan.Plane(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride)
	fmt.Println(text, err)

	q, _ = render.NewQR("HTTPS://EXAMPLE.COM", render.LevelQ)
	_, err = scan.Image(q.Image(3))
	fmt.Println(errors.Is(err, scan.ErrNotOffcode), err)
	// Output:
	// OC1:6BFOXN*TS0BI$ZDFRH <nil>
	// true scan: QR code is not an offline code: text "HTTPS://EXAMPLE.COM" does not start with "OC1:"
}

func ExampleQuick() {
	// A live camera's frame: only the cheapest attempt is made.
	q, err := render.NewQR("OC1:6BFOXN*TS0BI$ZDFRH", render.LevelQ)
	if err != nil {
		panic(err)
	}
	img := q.Image(4)
	text, err := scan.Quick(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride)
	fmt.Println(text, err)
	// Output:
	// OC1:6BFOXN*TS0BI$ZDFRH <nil>
}
