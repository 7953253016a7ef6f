package app

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/webcam"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// cameraPanel shows the camera's preview, with the outline of the last
// code read, its state, and a note on a code it read and left unjudged.
type cameraPanel struct {
	img   *canvas.Image
	state *widget.Label
	note  *widget.Label
	root  fyne.CanvasObject
	// judged are the codes the counter judged lately, whichever way they
	// came: the camera does not judge them again within a minute.
	judged *camera.Judged
	// shown are the verdicts shown today for each code (seenDay is the
	// day): the camera shows none of them again on the card.
	shown   map[string]map[verdict.Name]bool
	seenDay string
	notes   int // notes shown, so that only the latest is cleared
}

// noteFor is how long a note stays under the preview.
const noteFor = 8 * time.Second

func newCameraPanel() *cameraPanel {
	p := &cameraPanel{img: canvas.NewImageFromImage(image.NewGray(image.Rect(0, 0, 16, 9))),
		state: widget.NewLabel(""), note: widget.NewLabel(""), judged: &camera.Judged{}}
	p.img.FillMode = canvas.ImageFillContain
	p.img.SetMinSize(fyne.NewSize(320, 180))
	p.note.Importance = widget.LowImportance
	p.note.Wrapping = fyne.TextWrapWord
	p.state.Wrapping = fyne.TextWrapWord // an error can be long: it wraps, whole, rather than widen the window
	p.note.Hide()
	p.root = container.NewBorder(nil, container.NewVBox(p.state, p.note), nil, nil, p.img)
	return p
}

// markJudged remembers a code the counter judged (from the scanner, the
// camera or typed) and the verdict shown for it, so that the camera does
// not judge it again when it comes back into view within a minute, nor
// ever show that verdict again on the card today.
func (c *Counter) markJudged(code string, v verdict.Name) {
	if c.camera == nil {
		return
	}
	c.camera.judged.Mark(code, time.Now())
	if day := c.desk.Today(); day != c.camera.seenDay || c.camera.shown == nil {
		c.camera.shown, c.camera.seenDay = map[string]map[verdict.Name]bool{}, day
	}
	code = strings.TrimSpace(code)
	if c.camera.shown[code] == nil {
		c.camera.shown[code] = map[verdict.Name]bool{}
	}
	c.camera.shown[code][v] = true
}

// seenBefore reports whether the camera's verdict v on code tells the
// clerk nothing new: an arrival already recorded, or a verdict already
// shown for this code today. A recorded arrival is always new.
func (c *Counter) seenBefore(code string, v verdict.Verdict) bool {
	if v.Recorded != nil {
		return false
	}
	if v.Name == verdict.AlreadyArrived {
		return true
	}
	return c.camera.seenDay == c.desk.Today() && c.camera.shown[strings.TrimSpace(code)][v.Name]
}

// StartCamera runs the camera pipeline on frames from open until ctx ends:
// codes it reads go the way of a handheld scanner's.
func (c *Counter) StartCamera(ctx context.Context, open func() (camera.Source, error)) {
	c.camera.root.Show()
	p := &camera.Pipeline{
		Open:   open,
		Judged: c.camera.judged,
		OnCode: func(text string) { c.do(func() { c.cameraScan(text) }) },
		OnNote: func(_ string, why camera.Note) {
			key := map[camera.Note]string{camera.NotACode: "ui.camera.note.not_a_code", camera.AlreadyJudged: "ui.camera.note.judged"}[why]
			c.do(func() { c.showNote(c.t(key, nil)) })
		},
		OnPreview: func(g *image.Gray, outline []image.Point) {
			img := preview(g, outline)
			c.do(func() {
				c.camera.img.Image = img
				c.camera.img.Refresh()
			})
		},
		OnState: func(s camera.State, err error) {
			c.do(func() { c.showCamera(s, err) })
		},
	}
	go p.Run(ctx)
}

// cameraErrors are the camera's errors the clerk is told in their words.
var cameraErrors = map[error]string{
	webcam.ErrUnavailable: "ui.camera.err.unavailable",
	webcam.ErrNoCamera:    "ui.camera.err.none",
	webcam.ErrBusy:        "ui.camera.err.busy",
	webcam.ErrGone:        "ui.camera.err.gone",
	webcam.ErrFormat:      "ui.camera.err.format",
}

// cameraError words a camera's error in the app's language; one the app
// does not know (the system's own) is shown as it is.
func (c *Counter) cameraError(err error) string {
	for e, key := range cameraErrors {
		if errors.Is(err, e) {
			return c.t(key, nil)
		}
	}
	return err.Error()
}

// showCamera words the camera's state.
func (c *Counter) showCamera(s camera.State, err error) {
	key := map[camera.State]string{camera.Off: "ui.camera.off", camera.Starting: "ui.camera.starting",
		camera.Running: "ui.camera.running", camera.Lost: "ui.camera.lost"}[s]
	args := map[string]string{}
	if err != nil {
		args["err"] = c.cameraError(err)
	}
	c.camera.state.SetText(c.t(key, args))
	c.camera.state.Importance = widget.MediumImportance
	if s == camera.Lost {
		c.camera.state.Importance = widget.DangerImportance
	}
	c.camera.state.Refresh()
}

// cameraScan judges a code the camera read. A verdict that tells the
// clerk nothing new (already arrived, or one shown for this code today:
// a confirmation paper lying in view, the citizen's phone back in view)
// goes in the note under the preview and leaves the card to what the clerk
// is working on; any other shows on the card. A code that was not judged
// after all (no clerk signed in, the database failed) is forgotten, so
// that the camera judges it when it is shown again.
func (c *Counter) cameraScan(text string) {
	c.showNote("")
	if c.desk.Clerk == "" {
		c.Scan(text) // says to sign in first, as a scan does
		c.camera.judged.Forget(text)
		return
	}
	v, err := c.desk.CheckIn(context.Background(), text)
	if err == nil && c.seenBefore(text, v) {
		c.camera.judged.Mark(text, time.Now())
		m := v.Message(c.lang)
		what := m.Title
		if m.Who != "" {
			what += " · " + m.Who
		}
		c.showNote(c.t("ui.camera.note.seen", map[string]string{"what": what}))
		return
	}
	c.checkIn(text, func(context.Context, string) (verdict.Verdict, error) { return v, err })
	if c.current == nil || c.lastCode != text {
		c.camera.judged.Forget(text)
	}
}

// showNote shows a note under the preview for a few seconds (none: hides
// it). The card and the sounds are left alone.
func (c *Counter) showNote(text string) {
	c.camera.notes++
	n := c.camera.notes
	c.camera.note.SetText(text)
	if text == "" {
		c.camera.note.Hide()
		return
	}
	c.camera.note.Show()
	time.AfterFunc(noteFor, func() {
		c.do(func() {
			if c.camera.notes == n {
				c.showNote("")
			}
		})
	})
}

// preview makes a small colour copy of the frame with the code's outline.
func preview(g *image.Gray, outline []image.Point) image.Image {
	const w = 480
	b := g.Bounds()
	step := max(1, b.Dx()/w)
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/step, b.Dy()/step))
	for y := 0; y < out.Rect.Dy(); y++ {
		for x := 0; x < out.Rect.Dx(); x++ {
			v := g.Pix[(y*step)*g.Stride+x*step]
			out.Pix[y*out.Stride+4*x], out.Pix[y*out.Stride+4*x+1], out.Pix[y*out.Stride+4*x+2], out.Pix[y*out.Stride+4*x+3] = v, v, v, 255
		}
	}
	green := image.NewUniform(color.RGBA{0x20, 0xd0, 0x40, 0xff})
	for _, p := range outline {
		c := image.Pt(p.X/step, p.Y/step)
		draw.Draw(out, image.Rect(c.X-4, c.Y-4, c.X+4, c.Y+4), green, image.Point{}, draw.Src)
	}
	return out
}
