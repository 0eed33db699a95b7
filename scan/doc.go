// Package scan reads the text of an offline code (SPEC.md §6) from a camera
// image: an image.Image, or the raw 8-bit luminance plane (the Y plane) that
// phone cameras and handheld scanners deliver.
//
// Scanning tries the cheap path first and escalates only when it fails:
// the local (hybrid) binariser, then a harder search, a global-histogram
// binariser, the inverted image, a smoothed image, and images rescaled by 2, 0.5, 0.7 and 1.4.
// Mirrored symbols are read as they are. A clean frame costs one attempt.
//
// Scanning reads text only; it says nothing of authenticity. Pass the text
// to package verify.
package scan
