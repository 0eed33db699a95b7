package render

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"

	"golang.org/x/image/font/sfnt"

	"github.com/offcode/offcode/codec"
)

// The phone card: a portrait picture of one code, made to be saved to a
// phone's album (下载离线码, 保存至相册) and shown to a checkpoint's camera
// from the screen.
const (
	cardPixelsW = 1080 // pixels
	cardPixelsH = 1920 // pixels

	// The layout is in units of phoneScale pixels: phoneW × phoneH.
	phoneScale = 12.0
	phoneW     = cardPixelsW / phoneScale
	phoneH     = cardPixelsH / phoneScale

	// phoneQRMax is the most pixels the symbol with its quiet zone may
	// take; it is drawn on a whole number of pixels per module (11 for a
	// version 11 symbol: 759 pixels, 70% of the width).
	phoneQRMax = 780
	// phoneQRMinModule is the fewest pixels per module a card accepts.
	phoneQRMinModule = 4

	phoneMargin     = 5.0
	phoneHolderSize = 11.0 // points, or smaller to fit
	phoneHolderMin  = 7.0
)

// phoneCard is a card laid out for the phone: the code, the font and the
// symbol's place in pixels.
type phoneCard struct {
	cd         *card
	fi         *fontInfo
	font       *sfnt.Font
	holderSize float64 // points
	qrPx       int     // side of the symbol with its quiet zone, pixels
	qxPx       int     // left edge of the symbol, pixels
}

func newPhoneCard(text string, o *Options) (*phoneCard, error) {
	if o == nil {
		o = new(Options)
	}
	fi, err := loadFont()
	if err != nil {
		return nil, err
	}
	f, err := loadOutlines()
	if err != nil {
		return nil, err
	}
	cd, err := newCard(fi, text, o.Holder, o.Level)
	if err != nil {
		return nil, err
	}
	// The holder line is set smaller, down to phoneHolderMin, to fit.
	hs := phoneHolderSize
	if w := fi.width(labelHolder+cd.holder, 1); w*hs > phoneW-2*phoneMargin {
		hs = (phoneW - 2*phoneMargin) / w
		if hs < phoneHolderMin {
			return nil, fmt.Errorf("%w: %q is wider than a phone card", errHolderTooLong, cd.holder)
		}
	}
	n := cd.qr.size + 2*quietZone
	m := phoneQRMax / n
	if m < phoneQRMinModule {
		return nil, fmt.Errorf("%w: a version %d symbol is too big for a phone card", errTooLong, cd.qr.version)
	}
	return &phoneCard{cd: cd, fi: fi, font: f, holderSize: hs, qrPx: m * n, qxPx: (cardPixelsW - m*n) / 2}, nil
}

// cardImage draws the phone card of WriteCardPNG, cardPixelsW × cardPixelsH
// pixels.
func cardImage(text string, o *Options) (*image.RGBA, error) {
	pc, err := newPhoneCard(text, o)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, cardPixelsW, cardPixelsH))
	pc.draw(&rasterCanvas{img: img, scale: phoneScale, fi: pc.fi, font: pc.font})
	return img, nil
}

// WriteCardPNG writes the phone card of the code text to w as a PNG:
// a 1080 × 1920 portrait picture in colour. At the top, the kind (个人码, or
// 亲属码 on black, with the whole card framed in black) and 离线码; the colour
// as a word (绿码, 黄码, 红码) in the largest type, with a shape that reads in
// black and white; the QR symbol, big enough to scan from the screen, in a
// frame patterned by colour; 有效期至 and the expiry time, then 签发时间, in
// Beijing time (UTC+8); the optional holder line, noted as not signed; the
// key ID and serial.
//
// text must decode (codec.Decode); its signature is not checked. The
// picture is deterministic.
func WriteCardPNG(w io.Writer, text string, o *Options) error {
	img, err := cardImage(text, o)
	if err != nil {
		return err
	}
	var m image.Image = img
	if p, ok := paletted(img); ok {
		m = p
	}
	// BestSpeed: about 90 KB instead of 60 KB, in a third of the time,
	// which matters more to the service that sends one per request.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, m); err != nil {
		return fmt.Errorf("render: writing PNG: %w", err)
	}
	return nil
}

// WriteCardSVG writes the phone card of WriteCardPNG as an SVG document,
// cardPixelsW × cardPixelsH pixels, with its text drawn as outlines so that it
// needs no font. For the bare symbol, use QR.WriteSVG.
func WriteCardSVG(w io.Writer, text string, o *Options) error {
	pc, err := newPhoneCard(text, o)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	sc := &svgCanvas{buf: &body, fi: pc.fi, font: pc.font}
	pc.draw(sc)
	sc.flush()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(bw, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %g %g\" stroke=\"none\">\n", cardPixelsW, cardPixelsH, phoneW, phoneH)
	fmt.Fprintf(bw, "<title>%s %s %s</title>\n", labelTitle, kindWords[pc.cd.kind], colourWords[pc.cd.colour])
	bw.Write(body.Bytes())
	bw.WriteString("</svg>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: writing SVG: %w", err)
	}
	return nil
}

// Labels of the phone card (see layout.go for the shared ones).
const (
	labelPhoneNote = "持码人信息不在数字签名内，以扫码核验结果为准"
)

// draw lays out the card in units of phoneScale pixels.
func (pc *phoneCard) draw(c canvas) {
	const W, H, m = phoneW, phoneH, phoneMargin
	cd, fi := pc.cd, pc.fi
	kin := cd.kind == codec.Kin

	// The page; a kinship card is framed in black all round.
	in := 0.0
	if kin {
		in = 2.0
		c.setFill(black)
		c.rect(0, 0, W, H)
	}
	c.setFill(white)
	c.rect(in, in, W-2*in, H-2*in)

	// Colour bands at the top and bottom.
	band(c, cd.colour, in, in, W-2*in, 5)
	band(c, cd.colour, in, H-in-5, W-2*in, 5)

	// Header: 离线码 and the kind; black for a kinship card.
	hy := in + 5
	title := labelTitle
	if kin {
		c.setFill(black)
		c.rect(in, hy, W-2*in, 13)
		c.setFill(white)
	} else {
		c.setFill(black)
	}
	c.text(m, hy+10, 22, title)
	word := kindWords[cd.kind]
	bw := fi.width(word, 22) + 6
	bx := W - m - bw
	if kin {
		c.setFill(white)
		c.rect(bx, hy+1.5, bw, 10)
		c.setFill(black)
	} else {
		c.setFill(black)
		c.rect(bx, hy+1.5, bw, 10)
		c.setFill(white)
		c.rect(bx+0.8, hy+2.3, bw-1.6, 8.4)
		c.setFill(black)
	}
	c.text(bx+3, hy+9.9, 22, word)

	// The holder line, under the header.
	y := hy + 13
	if cd.holder != "" {
		c.setFill(black)
		c.text(m, y+5.8, pc.holderSize, labelHolder+cd.holder)
	}

	// The colour: shape and word.
	y += 8
	cw := colourWords[cd.colour]
	ww := fi.width(cw, 50)
	x0 := W/2 - (15+4+ww)/2
	shape(c, cd.colour, x0, y+0.5, 15)
	c.setFill(black)
	c.text(x0+19, y+14.5, 50, cw)

	// The symbol, on whole pixels, in a frame of the colour's pattern.
	const t = 2.5
	qx, qs := float64(pc.qxPx)/phoneScale, float64(pc.qrPx)/phoneScale
	qy := float64(int((y+18+t)*phoneScale)) / phoneScale
	frame(c, cd.colour, qx-t, qy-t, qs+2*t, t)
	drawQR(c, cd.qr, qx, qy, qs)

	// Times: the expiry in the largest type after the colour.
	y = qy + qs + t
	c.setFill(black)
	c.text(centre(fi, W/2, 22, labelValidUntil), y+9, 22, labelValidUntil)
	date := beijing(cd.exp)
	c.text(centre(fi, W/2, 28, date), y+19.5, 28, date)
	issued := labelIssued + " " + beijing(cd.iat)
	c.text(centre(fi, W/2, 13, issued), y+25.5, 13, issued)
	c.setFill(grey)
	c.text(centre(fi, W/2, 8.5, labelZone), y+29.5, 8.5, labelZone)

	// Notes and identifiers, small.
	if cd.holder != "" {
		c.text(centre(fi, W/2, 6, labelPhoneNote), y+33.5, 6, labelPhoneNote)
	}
	ks := fmt.Sprintf(labelKeySerial, cd.kid, cd.serial)
	c.text(centre(fi, W/2, 5, ks), H-in-6.5, 5, ks)
}
