package render

import (
	"fmt"
	"io"

	"github.com/jung-kurt/gofpdf"

	"github.com/offcode/offcode/codec"
)

// Sheet geometry, millimetres. The symbol with its quiet zone is qrSide
// wide (over 90 mm of modules for a version 11 symbol), inside a frame of
// the code's colour.
const (
	sheetMargin = 15.0
	frameSide   = 124.0
	frameWidth  = 8.0
	qrSide      = frameSide - 2*frameWidth
	holderMax   = pageW - 2*sheetMargin
)

// WriteSheet writes an A4 PDF sheet for the code text to w, designed to be
// read by a person and scanned by a camera: the QR symbol drawn as vector
// rectangles inside a frame of the code's colour, the colour also as a word
// and a shape, the code kind, the issue and expiry times in Beijing time,
// the optional holder line, the key ID and serial, and an instruction for
// the checkpoint.
//
// text must decode (codec.Decode); its signature is not checked. The
// document is deterministic: the same input gives the same bytes.
func WriteSheet(w io.Writer, text string, o *Options) error {
	if o == nil {
		o = new(Options)
	}
	fi, err := loadFont()
	if err != nil {
		return err
	}
	cd, err := newCard(fi, text, o.Holder, o.Level)
	if err != nil {
		return err
	}
	if cd.holder != "" && fi.width(labelHolder+cd.holder, 14) > holderMax {
		return fmt.Errorf("%w: %q is wider than the sheet", errHolderTooLong, cd.holder)
	}
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.SetCreationDate(cd.iat)
	f.SetModificationDate(cd.iat)
	f.SetTitle(labelTitle+" "+colourWords[cd.colour], true)
	f.SetCreator("offcode", true)
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(0, 0, 0)
	f.AddUTF8FontFromBytes(fontName, "", fontTTF)
	f.AddPage()
	drawSheet(fpdfCanvas{f}, fi, cd)
	if err := f.Output(w); err != nil {
		return fmt.Errorf("render: writing PDF: %w", err)
	}
	return nil
}

// drawSheet lays out one code on an A4 page. A kinship sheet is told
// from a personal one at a glance: the page is framed in black and the
// title row is white on black.
func drawSheet(c canvas, fi *fontInfo, cd *card) {
	const m = sheetMargin
	kin := cd.kind == codec.Kin
	in := 0.0 // the black frame of a kinship sheet
	if kin {
		in = 5
		c.setFill(black)
		c.rect(0, 0, pageW, pageH)
		c.setFill(white)
		c.rect(in, in, pageW-2*in, pageH-2*in)
	}
	// Bands of the colour's pattern at the top and bottom edges.
	band(c, cd.colour, in, in, pageW-2*in, 12-in/2)
	band(c, cd.colour, in, pageH-12-in/2, pageW-2*in, 12-in/2)

	// Title and kind.
	if kin {
		c.setFill(black)
		c.rect(in, 18, pageW-2*in, 24)
		c.setFill(white)
		c.text(m, 36, 30, labelTitle)
		// The badge inverted: black type in a white box.
		c.rect(pageW-m-48, 21.5, 48, 17)
		c.setFill(black)
		c.text(centre(fi, pageW-m-24, 24, kindWords[cd.kind]), 21.5+8.5+24*mmPerPt*0.36, 24, kindWords[cd.kind])
	} else {
		c.setFill(black)
		c.text(m, 36, 30, labelTitle)
		badge(c, fi, cd.kind, pageW-m-48, 22, 48, 17, 24)
	}
	y := 46.0
	if kin {
		c.setFill(black)
		c.rect(m, y, pageW-2*m, 9)
		c.setFill(white)
		c.text(centre(fi, pageW/2, 12, labelKinBar), y+6.3, 12, labelKinBar)
	}

	// The colour: shape and word.
	y = 60
	word := colourWords[cd.colour]
	ww := fi.width(word, 54)
	x0 := pageW/2 - (22+6+ww)/2
	shape(c, cd.colour, x0, y, 22)
	c.setFill(black)
	c.text(x0+28, y+19.5, 54, word)

	// The symbol in its frame.
	fy := 88.0
	fx := (pageW - frameSide) / 2
	frame(c, cd.colour, fx, fy, frameSide, frameWidth)
	drawQR(c, cd.qr, fx+frameWidth, fy+frameWidth, qrSide)

	// Times, large.
	y = fy + frameSide + 14
	c.setFill(black)
	c.text(m+4, y, 18, labelIssued)
	c.text(m+48, y, 18, beijing(cd.iat))
	y += 13
	c.text(m+4, y, 24, labelValidUntil)
	c.text(m+48, y, 24, beijing(cd.exp))
	y += 7
	c.setFill(grey)
	c.text(m+48, y, 10, labelZone)

	// Holder line, and what it is not.
	y += 12
	if cd.holder != "" {
		c.setFill(black)
		c.text(m+4, y, 14, labelHolder+cd.holder)
		c.setFill(grey)
		c.text(m+4, y+5.5, 8, labelHolderNote)
	}

	// Instruction and identifiers.
	y = pageH - 26
	c.setStroke(grey, 0.2, 0)
	c.line(m, y-6, pageW-m, y-6)
	c.setFill(black)
	c.text(m, y, 9.5, labelInstruction)
	c.setFill(grey)
	c.text(m, y+5.5, 8, fmt.Sprintf(labelKeySerial, cd.kid, cd.serial))
}
