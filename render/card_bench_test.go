package render_test

import (
	"io"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// BenchmarkCardImage draws a phone card (the service's Accept: image/png
// response before encoding).
func BenchmarkCardImage(b *testing.B) {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	o := &render.CardOptions{Holder: "张*华 **************002X"}
	for b.Loop() {
		if _, err := render.CardImage(text, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCardPNG draws and encodes a phone card.
func BenchmarkCardPNG(b *testing.B) {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	o := &render.CardOptions{Holder: "张*华 **************002X"}
	for b.Loop() {
		if err := render.WriteCardPNG(io.Discard, text, o); err != nil {
			b.Fatal(err)
		}
	}
}
