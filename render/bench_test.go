package render_test

import (
	"io"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// BenchmarkQREncode: code text to module grid (version 11, level Q).
func BenchmarkQREncode(b *testing.B) {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	for b.Loop() {
		if _, err := render.NewQR(text, render.LevelQ); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNG: module grid to a PNG at 8 pixels per module (552 px).
func BenchmarkPNG(b *testing.B) {
	q, err := render.NewQR(testcode.Issue(0, codec.Green, codec.Personal), render.LevelQ)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := q.WritePNG(io.Discard, 8); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSheetPDF: code text to a one-page A4 PDF sheet (gofpdf, font
// subset embedded).
func BenchmarkSheetPDF(b *testing.B) {
	text := testcode.Issue(0, codec.Yellow, codec.Kin)
	o := &render.SheetOptions{Holder: "张*华 **************123X"}
	for b.Loop() {
		if err := render.WriteSheet(io.Discard, text, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchCard: one card of a streamed batch PDF (QR encode, layout,
// compression), for codes already issued; reported per code.
func BenchmarkBatchCard(b *testing.B) {
	var texts []string
	for i := 0; i < 16; i++ {
		texts = append(texts, testcode.Issue(i, codec.Colour(i%3), codec.Kind(i%2)))
	}
	batch, err := render.NewBatch(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if err := batch.AddText(texts[i%len(texts)], "张*华 **************123X", render.LevelQ); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := batch.Close(); err != nil {
		b.Fatal(err)
	}
}
