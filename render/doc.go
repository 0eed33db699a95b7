// Package render draws offline codes for people and cameras: the QR symbol of
// a code's text form (SPEC.md §6) as an image, PNG or SVG, and printable A4
// PDF sheets, one code to a sheet or many to a page for batch printing.
//
// The QR symbol uses alphanumeric mode (the text form is Prefix + Base45, all
// in the QR alphanumeric set), error correction level Q unless asked
// otherwise, the smallest version that fits, and a quiet zone of QuietZone
// modules. Images use whole pixels per module, so nothing is resampled.
//
// PDF sheets print their Chinese text in a subset of WenQuanYi Micro Hei
// (Apache-2.0, render/font/LICENSE) that is compiled into the package and
// covers all of GB 2312, so they need no installed fonts. Text the font
// cannot show is refused with a *GlyphError, never printed as boxes.
package render
