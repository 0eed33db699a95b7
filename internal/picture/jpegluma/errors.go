package jpegluma

import "errors"

// Errors, wrapped with detail. A caller that gets ErrUnsupported decodes
// the picture with a full decoder (image/jpeg) instead.
var (
	ErrFormat      = errors.New("jpegluma: malformed JPEG")
	ErrUnsupported = errors.New("jpegluma: unsupported JPEG")
	ErrTooLarge    = errors.New("jpegluma: too many pixels")
)
