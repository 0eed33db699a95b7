// Package scan reads the text of offline codes (SPEC.md §6) from a camera
// image: an image.Image, or the raw 8-bit luminance plane (the Y plane) that
// phone cameras and handheld scanners deliver. All returns every code in
// the picture, such as the eight cards of a batch page; Image and Plane
// return one.
//
// Scanning tries the cheap path first and escalates only when it fails:
// gozxing's hybrid binariser, a sliding-window binariser, finder
// patterns found from the grey image's edges (small blurred ones that a
// binariser closes up), the sliding-window binariser on a smoothed
// image, the inverted image, a harder search, and the image at twice its size. On each, finder patterns are grouped
// into symbols (never across symbols, so a page of codes reads), and a
// symbol gozxing's sampler cannot read is sampled again from the grey
// image: its side chosen by how its timing patterns alternate, through a
// homography fitted to every alignment pattern it has, found from a first
// guess that, for a symbol seen at a steep angle, is foreshortened as the
// sizes of its finder patterns say; modules that thresholding reads a few
// per cent wrong (blur and noise) are equalised: the weights with which
// neighbouring modules blend are fitted from that first reading, and each
// module is chosen dark or light to fit every level best. A symbol of which
// only two finder patterns were found is looked for where the third
// should be. On a page, where the symbols read give the shape of the
// others, a symbol the picture's edge cuts off, one or two of its finder
// patterns with it, is sampled with those patterns where that shape puts
// them: the modules cut off are erased, and error correction restores
// them up to a tenth of the symbol. A symbol located but not read is last unblurred: in module
// space, with the blur fitted on its known modules, then in the frequency
// domain, for camera shake and defocus estimated from its spectrum. A
// picture whose gradients are smeared one way (camera shake of several
// modules, which hides the finder patterns) has the smear's profile
// estimated from the ratio of its power along that way to its power
// across it, undone, and is read again; in heavy noise, where the
// restorations are too grainy for the binarisers, its finder patterns
// are also looked for by their shape (correlation with a finder pattern
// turned as the module axes are). This is tried as soon as the first
// attempt fails, as the steps between seldom read such a picture, and a
// frame smeared so in heavy noise that it is not read then is given up:
// no later step read any such frame of the tuning set or the held-out
// sets.
// Mirrored symbols are read as they are. A clean frame costs
// one attempt. Quick makes only that first attempt, for a live camera's
// frames, where a frame with no code in view is the common case and the
// next frame comes a few milliseconds later.
//
// Scanning reads text only; it says nothing of authenticity. Pass the text
// to package verify.
package scan
