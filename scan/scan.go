package scan

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/offcode/offcode/codec"
)

// Image returns the text of the offline code in img. The error wraps
// ErrNotFound if no QR symbol could be read, or is a *NotOffcodeError if
// the symbol read is not an offline code.
//
// *image.Gray and *image.YCbCr (what image/jpeg returns) are read in
// place; other image types are converted to luminance once.
func Image(img image.Image) (string, error) {
	pix, w, h, stride := luminance(img)
	return scan(pix, w, h, stride)
}

// Plane returns the text of the offline code in an 8-bit luminance plane
// (0 black, 255 white) of width × height pixels whose rows start stride
// bytes apart, such as a camera frame's Y plane. pix is read, never
// written, and not retained. Errors are those of Image, or wrap ErrPlane.
func Plane(pix []byte, width, height, stride int) (string, error) {
	if width <= 0 || height <= 0 || stride < width || len(pix) < (height-1)*stride+width {
		return "", fmt.Errorf("%w: %d×%d pixels with stride %d in %d bytes", ErrPlane, width, height, stride, len(pix))
	}
	return scan(pix, width, height, stride)
}

// luminance returns an 8-bit luminance plane of img, in place when img
// already holds one.
func luminance(img image.Image) (pix []byte, w, h, stride int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w, h, m.Stride
	case *image.YCbCr:
		return m.Y[m.YOffset(b.Min.X, b.Min.Y):], w, h, m.YStride
	}
	out := make([]byte, w*h)
	switch m := img.(type) {
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				r, g, bl, a := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2]), uint32(row[4*x+3])
				// Premultiplied: composite over white.
				out[y*w+x] = byte((299*r+587*g+114*bl)/1000 + (255 - a))
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				r, g, bl, a := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2]), uint32(row[4*x+3])
				l := (299*r + 587*g + 114*bl) / 1000
				out[y*w+x] = byte((l*a + 255*(255-a)) / 255)
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				l := (299*r + 587*g + 114*bl) / 1000 // 0..0xffff, premultiplied
				out[y*w+x] = byte((l + (0xffff - a)) >> 8)
			}
		}
	}
	return out, w, h, w
}

// attempt is one way of reading a plane.
type attempt struct {
	name      string
	global    bool // global histogram binariser instead of hybrid
	tryHarder bool
	invert    bool
}

// ladder lists the attempts on each plane, cheapest first.
var ladder = []attempt{
	{name: "hybrid"},
	{name: "hybrid+harder", tryHarder: true},
	{name: "global+harder", global: true, tryHarder: true},
	{name: "inverted", tryHarder: true, invert: true},
	{name: "inverted+global", global: true, tryHarder: true, invert: true},
}

// errUnreadable is a symbol that was located but did not decode.
var errUnreadable = errors.New("a QR symbol was located but could not be decoded")

func scan(pix []byte, w, h, stride int) (string, error) {
	text, _, err := scanSteps(pix, w, h, stride)
	return text, err
}

// scanSteps is scan, also returning the name of the step that read the
// symbol.
func scanSteps(pix []byte, w, h, stride int) (string, string, error) {
	r := qrcode.NewQRCodeReader()
	located := false
	attempt1 := func(src gozxing.LuminanceSource, a attempt) (string, bool) {
		text, err := read(r, src, a)
		if err != nil {
			if errors.Is(err, errUnreadable) {
				located = true
			}
			return "", false
		}
		return text, true
	}
	finish := func(text, step string) (string, string, error) {
		if !strings.HasPrefix(text, codec.Prefix) {
			if len(text) > 64 {
				text = text[:64]
			}
			return "", step, &NotOffcodeError{Text: text}
		}
		return text, step, nil
	}
	// The frame as it is, and smoothed: a 3×3 box filter removes sensor
	// noise and JPEG ringing that break the binarisers. Noise is the
	// commonest trouble, so the smoothed frame is tried early.
	raw := newPlaneSource(pix, w, h, stride)
	var smoothed gozxing.LuminanceSource
	var sm []byte
	getSmoothed := func() gozxing.LuminanceSource {
		if smoothed == nil {
			sm = smooth(pix, w, h, stride)
			smoothed = newPlaneSource(sm, w, h, w)
		}
		return smoothed
	}
	for _, st := range []struct {
		smooth bool
		a      attempt
	}{
		{false, ladder[0]}, {true, ladder[0]}, {false, ladder[1]}, {true, ladder[1]},
		{false, ladder[2]}, {false, ladder[3]}, {false, ladder[4]},
		{true, ladder[2]}, {true, ladder[3]}, {true, ladder[4]},
	} {
		src, prefix := gozxing.LuminanceSource(raw), ""
		if st.smooth {
			src, prefix = getSmoothed(), "smoothed/"
		}
		if text, ok := attempt1(src, st.a); ok {
			return finish(text, prefix+st.a.name)
		}
	}
	// A tiny symbol (a couple of pixels per module) is found more easily
	// at twice the size; a large noisy one at half. Other scales move the
	// sampling grid, which rescues symbols whose alignment pattern the
	// detector misplaces.
	getSmoothed()
	for _, f := range []float64{2, 0.5, 0.7, 1.4} {
		rw, rh := int(float64(w)*f), int(float64(h)*f)
		if rw < 21 || rh < 21 || rw*rh > 4000*3000 {
			continue
		}
		src, sstride := pix, stride
		if f < 1 {
			src, sstride = sm, w
		}
		scaled := newPlaneSource(resize(src, w, h, sstride, rw, rh), rw, rh, rw)
		for _, a := range ladder {
			if text, ok := attempt1(scaled, a); ok {
				return finish(text, fmt.Sprintf("scaled×%g/%s", f, a.name))
			}
		}
	}
	if located {
		return "", "", fmt.Errorf("%w: %v", ErrNotFound, errUnreadable)
	}
	return "", "", fmt.Errorf("%w in %d×%d image", ErrNotFound, w, h)
}

// read makes one attempt. gozxing is not known to panic, but an image is
// input, and input must never crash the caller: a panic is a failed attempt.
func read(r gozxing.Reader, src gozxing.LuminanceSource, a attempt) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("decoder panic: %v", p)
		}
	}()
	if a.invert {
		src = src.Invert()
	}
	var bin gozxing.Binarizer
	if a.global {
		bin = gozxing.NewGlobalHistgramBinarizer(src)
	} else {
		bin = gozxing.NewHybridBinarizer(src)
	}
	bmp, err := gozxing.NewBinaryBitmap(bin)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_POSSIBLE_FORMATS: []gozxing.BarcodeFormat{gozxing.BarcodeFormat_QR_CODE},
	}
	if a.tryHarder {
		hints[gozxing.DecodeHintType_TRY_HARDER] = true
	}
	res, err := r.Decode(bmp, hints)
	if err != nil {
		var nf gozxing.NotFoundException
		if !errors.As(err, &nf) {
			return "", fmt.Errorf("%w: %v", errUnreadable, err)
		}
		return "", err
	}
	return res.GetText(), nil
}

// smooth returns a 3×3 box-filtered copy of the plane, w wide (edges
// repeat the border pixels).
func smooth(pix []byte, w, h, stride int) []byte {
	// Horizontal sums of three, then vertical sums of three.
	hs := make([]uint16, w*h)
	for y := 0; y < h; y++ {
		row := pix[y*stride : y*stride+w]
		out := hs[y*w : y*w+w]
		for x := 0; x < w; x++ {
			l, r := row[max(x-1, 0)], row[min(x+1, w-1)]
			out[x] = uint16(l) + uint16(row[x]) + uint16(r)
		}
	}
	out := make([]byte, w*h)
	for y := 0; y < h; y++ {
		up, mid, down := hs[max(y-1, 0)*w:], hs[y*w:], hs[min(y+1, h-1)*w:]
		o := out[y*w : y*w+w]
		for x := range o {
			o[x] = byte((uint32(up[x]) + uint32(mid[x]) + uint32(down[x]) + 4) / 9)
		}
	}
	return out
}

// resize returns the plane resampled to rw × rh, bilinear.
func resize(pix []byte, w, h, stride, rw, rh int) []byte {
	out := make([]byte, rw*rh)
	fx, fy := float64(w)/float64(rw), float64(h)/float64(rh)
	for y := 0; y < rh; y++ {
		sy := max((float64(y)+0.5)*fy-0.5, 0)
		y0 := min(int(sy), h-1)
		y1 := min(y0+1, h-1)
		ty := sy - float64(y0)
		r0, r1 := pix[y0*stride:], pix[y1*stride:]
		for x := 0; x < rw; x++ {
			sx := max((float64(x)+0.5)*fx-0.5, 0)
			x0 := min(int(sx), w-1)
			x1 := min(x0+1, w-1)
			tx := sx - float64(x0)
			a := float64(r0[x0])*(1-tx) + float64(r0[x1])*tx
			b := float64(r1[x0])*(1-tx) + float64(r1[x1])*tx
			out[y*rw+x] = byte(a*(1-ty) + b*ty + 0.5)
		}
	}
	return out
}
