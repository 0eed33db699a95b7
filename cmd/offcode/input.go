package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/picture"
	"github.com/offcode/offcode/scan"
)

// isImagePath reports whether arg names a PNG or JPEG file rather than
// being a code's text: codes start with the prefix, and a path ends in an
// image extension.
func isImagePath(arg string) bool {
	if strings.HasPrefix(arg, codec.Prefix) {
		return false
	}
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// scanFile reads the offline code in a PNG or JPEG file, within the
// limits of package picture.
func scanFile(path string) (string, error) {
	img, err := picture.DecodeFile(path)
	if err != nil {
		return "", err
	}
	text, err := scan.Image(img)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return text, nil
}

// isInputError reports whether err of scanFile is about the file rather
// than the code in it: the file is missing or unreadable, not a PNG or
// JPEG, or over the limits. Such errors exit 2; a picture with no code in
// it, or another QR code, exits 1.
func isInputError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) || errors.Is(err, picture.ErrFormat) || errors.Is(err, picture.ErrTooLarge)
}
