package render

import (
	"fmt"

	"github.com/offcode/offcode/codec"
)

// drawCard lays out one code on the batch card whose top left corner is
// x, y: the symbol on the left beside a band of the colour's pattern; on
// the right 离线码, the kind, the colour's shape and word, 签发 and, larger,
// 有效期至 with the expiry time. A kinship card is framed in black, so it
// stands out in a pile of cut cards.
func drawCard(c canvas, fi *fontInfo, cd *card, x, y float64) {
	if cd.kind == codec.Kin {
		const t = 1.6 // the frame, inside the cut lines
		c.setFill(black)
		c.rect(x+0.8, y+0.8, cardW-1.6, t)
		c.rect(x+0.8, y+cardH-0.8-t, cardW-1.6, t)
		c.rect(x+0.8, y+0.8, t, cardH-1.6)
		c.rect(x+cardW-0.8-t, y+0.8, t, cardH-1.6)
	}
	band(c, cd.colour, x+4, y+5, 7, cardH-10)
	qx, qy := x+14, y+4.5
	drawQR(c, cd.qr, qx, qy, cardQR)

	cx := x + 68
	c.setFill(black)
	c.text(cx, y+11, 11, labelTitle)
	badge(c, fi, cd.kind, cx, y+14, 22, 7.5, 11)
	shape(c, cd.colour, cx, y+25, 8)
	c.setFill(black)
	c.text(cx+10, y+32, 17, colourWords[cd.colour])

	c.setFill(grey)
	c.text(cx, y+39, 6.5, labelIssued)
	c.setFill(black)
	c.text(cx, y+42.5, 7.5, beijing(cd.iat))
	c.text(cx, y+49.5, 10, labelValidUntil)
	c.text(cx, y+55.5, 12, beijing(cd.exp))

	if cd.holder != "" {
		c.text(qx, y+cardQR+9.5, cardHolderSize, labelHolder+cd.holder)
		c.setFill(grey)
		c.text(qx, y+cardQR+12.5, 4.5, labelHolderNote)
	}
	c.setFill(grey)
	c.text(qx, y+cardH-3.5, 4.5, fmt.Sprintf(labelKeySerial, cd.kid, cd.serial))
}
