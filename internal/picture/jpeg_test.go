package picture

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"testing"
)

// TestDecodeJPEG checks what Decode returns for JPEG files: the
// luminance plane as an *image.Gray, from jpegluma or, for a progressive
// file, from image/jpeg; an RGB or CMYK file as image/jpeg decodes it.
func TestDecodeJPEG(t *testing.T) {
	for _, c := range []struct {
		file  string
		exact bool   // the plane is image/jpeg's own
		typ   string // of the result, when not *image.Gray
	}{
		{file: "jpegluma/testdata/im_q50_420.jpg"},
		{file: "jpegluma/testdata/im_grey_q50.jpg"},
		{file: "jpegluma/testdata/cj_restart_3mcu.jpg"},
		{file: "jpegluma/testdata/fallback_progressive.jpg", exact: true},
		{file: "jpegluma/testdata/fallback_progressive_grey.jpg", exact: true},
		{file: "jpegluma/testdata/fallback_rgb.jpg", typ: "*image.RGBA"},
		{file: "jpegluma/testdata/fallback_cmyk.jpg", typ: "*image.CMYK"},
	} {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(bytes.NewReader(data), c.file)
		if err != nil {
			t.Fatalf("Decode(%s) = %v", c.file, err)
		}
		ref, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if c.typ != "" {
			if typ := typeName(got); typ != c.typ {
				t.Errorf("Decode(%s) is a %s, want %s", c.file, typ, c.typ)
			}
			continue
		}
		g, ok := got.(*image.Gray)
		if !ok {
			t.Fatalf("Decode(%s) is a %s, want *image.Gray", c.file, typeName(got))
		}
		pix, stride, _ := lumaPlane(ref)
		if g.Rect != ref.Bounds() {
			t.Fatalf("Decode(%s) bounds %v, image/jpeg %v", c.file, g.Rect, ref.Bounds())
		}
		worst := 0
		for y := 0; y < g.Rect.Dy(); y++ {
			for x := 0; x < g.Rect.Dx(); x++ {
				d := int(g.Pix[y*g.Stride+x]) - int(pix[y*stride+x])
				worst = max(worst, d, -d)
			}
		}
		if worst > 2 || c.exact && worst != 0 {
			t.Errorf("Decode(%s): luminance %d from image/jpeg's (exact %v)", c.file, worst, c.exact)
		}
	}
}

// lumaPlane returns image/jpeg's luminance plane of m, and false when m
// has none (RGB or CMYK).
func lumaPlane(m image.Image) (pix []byte, stride int, ok bool) {
	switch m := m.(type) {
	case *image.Gray:
		return m.Pix, m.Stride, true
	case *image.YCbCr:
		return m.Y, m.YStride, true
	}
	return nil, 0, false
}

func typeName(m image.Image) string {
	switch m.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.RGBA:
		return "*image.RGBA"
	case *image.CMYK:
		return "*image.CMYK"
	case *image.YCbCr:
		return "*image.YCbCr"
	}
	return "another image type"
}

// TestDecodeBadJPEG checks that a cut or corrupt JPEG is refused with
// ErrFormat.
func TestDecodeBadJPEG(t *testing.T) {
	data, err := os.ReadFile("jpegluma/testdata/im_q50_420.jpg")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	for i := len(bad) / 2; i < len(bad)/2+40; i++ {
		bad[i] = 0xff // a run of markers in the entropy-coded data
	}
	for name, b := range map[string][]byte{
		"cut in the header": data[:100],
		"cut in the data":   data[:len(data)*2/3],
		"corrupt":           bad,
	} {
		_, err := Decode(bytes.NewReader(b), name)
		t.Logf("Decode(%s): %v", name, err)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("Decode(%s) = %v, want ErrFormat", name, err)
		}
	}
}
