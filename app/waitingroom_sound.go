package app

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
)

// noticeFor is how long the status bar shows a setting just changed.
const noticeFor = 3 * time.Second

// volume is the screen's volume (0 to 1) and whether it is muted, as
// remembered (70 % and not muted at first).
func (r *WaitingRoom) volume() (float64, bool) {
	if r.prefs == nil {
		return 0.7, false
	}
	return float64(r.prefs.IntWithFallback(PrefVolume, 70)) / 100, r.prefs.Bool(PrefMute)
}

// typedKey sets the sound from the keyboard of the screen's computer:
// M mutes and unmutes, Up and Down change the volume by 10 %.
func (r *WaitingRoom) typedKey(ev *fyne.KeyEvent) {
	if r.prefs == nil {
		return
	}
	v := r.prefs.IntWithFallback(PrefVolume, 70)
	switch ev.Name {
	case fyne.KeyM:
		muted := !r.prefs.Bool(PrefMute)
		r.prefs.SetBool(PrefMute, muted)
		if muted {
			r.note(r.t("display.muted", nil))
		} else {
			r.note(r.t("display.volume", map[string]string{"percent": strconv.Itoa(v)}))
		}
	case fyne.KeyUp, fyne.KeyDown:
		if ev.Name == fyne.KeyUp {
			v = min(v+10, 100)
		} else {
			v = max(v-10, 0)
		}
		r.prefs.SetInt(PrefVolume, v)
		r.prefs.SetBool(PrefMute, false)
		r.note(r.t("display.volume", map[string]string{"percent": strconv.Itoa(v)}))
	}
}

// note shows text in the status bar for a few seconds (on the GUI
// goroutine).
func (r *WaitingRoom) note(text string) {
	r.mu.Lock()
	r.notice, r.noticeUntil = text, r.now().Add(noticeFor)
	r.mu.Unlock()
	r.render()
	time.AfterFunc(noticeFor, func() {
		r.mu.Lock()
		stopped := r.stopped
		r.mu.Unlock()
		if !stopped { // a screen closed is drawn no more
			r.do(r.render)
		}
	})
}
