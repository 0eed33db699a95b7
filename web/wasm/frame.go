package main

import (
	"fmt"

	"github.com/offcode/offcode/scan"
)

// maxFramePixels bounds a frame from the camera or a picture the page
// scans: 4096×4096, larger than any camera frame the page asks for.
const maxFramePixels = 4096 * 4096

// scanner reads codes from RGBA frames (what a canvas's getImageData
// gives), reusing one luminance buffer between frames.
type scanner struct {
	lum []byte
}

// scanRGBA returns the text of the offline code in an RGBA frame of w×h
// pixels, 4 bytes a pixel, rows packed: by scan.Quick if quick (a live
// camera's frame), else by scan.Plane (a picture opened). Errors are those
// of scan.Plane.
func (s *scanner) scanRGBA(rgba []byte, w, h int, quick bool) (string, error) {
	if w <= 0 || h <= 0 || w*h > maxFramePixels || len(rgba) != 4*w*h {
		return "", fmt.Errorf("%w: an RGBA frame of %d×%d pixels in %d bytes", scan.ErrPlane, w, h, len(rgba))
	}
	n := w * h
	if cap(s.lum) < n {
		s.lum = make([]byte, n)
	}
	lum := s.lum[:n]
	for i := range lum {
		p := rgba[4*i : 4*i+4 : 4*i+4]
		r, g, b, a := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
		l := (299*r + 587*g + 114*b) / 1000
		// Not premultiplied (ImageData): composite over white.
		lum[i] = byte((l*a + 255*(255-a)) / 255)
	}
	if quick {
		return scan.Quick(lum, w, h, w)
	}
	return scan.Plane(lum, w, h, w)
}
