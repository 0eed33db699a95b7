// Package render draws offline codes for people and cameras: the phone card
// (a 1080×1920 picture, PNG or SVG, for a phone's album), the bare QR symbol
// of a code's text form (SPEC.md §6) as an image, PNG or SVG, and printable
// A4 PDF sheets, one code to a sheet (WriteSheet) or eight to a page for
// batch printing (Batch).
//
// Cards and sheets show the colour as a word, a shape and a pattern (so they
// read in black and white), the kind (a kinship code, 亲属码, is framed in
// black), the expiry time (有效期至) in large type and the issue time, in
// Beijing time (UTC+8), and an optional holder line. A holder line is not
// signed; it may show at most the last 4 characters of an ID number
// (CheckHolder, ErrHolderShowsID).
//
// The QR symbol uses alphanumeric mode (the text form is Prefix + Base45,
// all in the QR alphanumeric set), error correction level Q unless asked
// otherwise, the smallest version that fits, and a quiet zone of 4 modules.
// The package encodes it itself, from ISO/IEC 18004 (segment, version,
// Reed–Solomon blocks, placement, mask choice on bit-packed rows): the
// symbol is, module for module, the one gozxing's encoder makes. Images use
// whole pixels per module, so nothing is resampled.
//
// Text is printed in a subset of WenQuanYi Micro Hei (Apache-2.0,
// render/font/LICENSE) that is compiled into the package and covers all of
// GB 2312, so nothing needs installed fonts: PDF sheets embed it, and phone
// cards draw its glyph outlines. A holder line the font cannot show is
// refused, never printed as boxes.
package render
