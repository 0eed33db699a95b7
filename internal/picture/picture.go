// Package picture decodes the pictures a device is given (photos and
// screenshots of codes) with bounded memory: it accepts PNG and JPEG only,
// recognised by their first bytes rather than their names, reads the
// header first, and refuses a picture over a pixel budget before any pixel
// memory is allocated.
//
// A JPEG picture is decoded to its luminance only, as an *image.Gray,
// since the scanner reads nothing else: baseline and extended sequential
// JPEGs by package jpegluma, which skips the colour planes' transforms,
// and the others (progressive, arithmetic-coded, RGB, CMYK, and corrupt
// files jpegluma refuses) by image/jpeg, keeping the luminance plane of
// its result (an RGB or CMYK picture comes back as image/jpeg decodes it).
package picture

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"github.com/offcode/offcode/internal/picture/jpegluma"
)

// Limits. MaxPixels bounds width × height: 25 million pixels covers a
// 24-megapixel camera photo, and decodes in well under 256 MB (4 bytes a
// pixel at most, and the scanner's 1-byte luminance plane). MaxFileSize
// bounds the file read.
const (
	MaxPixels   = 25_000_000
	MaxFileSize = 64 << 20
)

// Errors, wrapped with detail.
var (
	ErrFormat   = errors.New("picture: not a PNG or JPEG picture")
	ErrTooLarge = errors.New("picture: too large")
)

var (
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
	jpegMagic = []byte{0xff, 0xd8, 0xff}
)

// sniff names the format of a file that starts with head, or "".
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, pngMagic):
		return "png"
	case bytes.HasPrefix(head, jpegMagic):
		return "jpeg"
	}
	return ""
}

// describe says what a file that is not PNG or JPEG seems to be.
func describe(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("GIF8")):
		return "a GIF"
	case bytes.HasPrefix(head, []byte("RIFF")):
		return "a RIFF (WebP?) file"
	case bytes.HasPrefix(head, []byte("BM")):
		return "a BMP"
	case len(head) == 0:
		return "an empty file"
	}
	return fmt.Sprintf("a file starting with % x", head[:min(len(head), 4)])
}

// Decode decodes a PNG or JPEG picture from r within the limits. name is
// used in errors.
func Decode(r io.Reader, name string) (image.Image, error) {
	br := bufio.NewReader(io.LimitReader(r, MaxFileSize+1))
	head, _ := br.Peek(len(pngMagic))
	format := sniff(head)
	if format == "" {
		return nil, fmt.Errorf("%w: %s is %s", ErrFormat, name, describe(head))
	}
	// The header is read through a tee so that the decoder can read the
	// whole file after it, from the start, with no seek.
	var hdr bytes.Buffer
	cfg, err := decodeConfig(format, io.TeeReader(br, &hdr))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	if err := CheckSize(name, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	full := &limitCheck{r: io.MultiReader(&hdr, br), left: MaxFileSize}
	var img image.Image
	if format == "png" {
		img, err = png.Decode(full)
	} else {
		img, err = decodeJPEG(full)
	}
	if full.left < 0 {
		return nil, fmt.Errorf("%w: %s is more than %d bytes", ErrTooLarge, name, MaxFileSize)
	}
	if errors.Is(err, jpegluma.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %s: %v", ErrTooLarge, name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	return img, nil
}

// decodeJPEG decodes the luminance of the JPEG file r, whose header has
// passed CheckSize. The file is read whole (at most MaxFileSize bytes)
// for jpegluma. What jpegluma leaves, or finds malformed, image/jpeg
// decodes again, so that no picture it used to read is refused (it
// resynchronises at restart markers after corrupt data, jpegluma does
// not); when both fail, jpegluma's error names the problem.
func decodeJPEG(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errors.New("file too large") // Decode reports it
	}
	g, lerr := jpegluma.Decode(data, MaxPixels)
	if lerr == nil {
		return g, nil
	}
	if errors.Is(lerr, jpegluma.ErrTooLarge) {
		return nil, lerr
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		if errors.Is(lerr, jpegluma.ErrFormat) {
			return nil, lerr
		}
		return nil, err
	}
	if m, ok := img.(*image.YCbCr); ok {
		// The luminance plane alone, so that the colour planes are freed.
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}, nil
	}
	return img, nil
}

// CheckSize checks the dimensions of the picture name against MaxPixels.
func CheckSize(name string, w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: %s has %d×%d pixels", ErrFormat, name, w, h)
	}
	if int64(w)*int64(h) > MaxPixels {
		return fmt.Errorf("%w: %s has %d×%d pixels (%.1f million), more than the %d million allowed; use a smaller picture of the code",
			ErrTooLarge, name, w, h, float64(w)*float64(h)/1e6, MaxPixels/1_000_000)
	}
	return nil
}

// DecodeFile decodes the PNG or JPEG file at path within the limits.
func DecodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than the %d allowed", ErrTooLarge, path, fi.Size(), MaxFileSize)
	}
	return Decode(f, path)
}

func decodeConfig(format string, r io.Reader) (image.Config, error) {
	if format == "png" {
		return png.DecodeConfig(r)
	}
	return jpeg.DecodeConfig(r)
}

// limitCheck reads r and counts down left; left < 0 means r held more.
type limitCheck struct {
	r    io.Reader
	left int64
}

func (l *limitCheck) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
