//go:build !wayland && (linux || freebsd || openbsd || netbsd)

package main

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>

// workArea is the desktop's room for windows (_NET_WORKAREA: the screen
// less its panels), or the whole screen without a window manager.
static int workArea(long *x, long *y, long *w, long *h) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	int ok = 0;
	Atom a = XInternAtom(d, "_NET_WORKAREA", True);
	if (a != None) {
		Atom type; int format; unsigned long n, after; unsigned char *data = NULL;
		if (XGetWindowProperty(d, DefaultRootWindow(d), a, 0, 4, False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success
				&& data && format == 32 && n >= 4) {
			long *v = (long *)data;
			*x = v[0]; *y = v[1]; *w = v[2]; *h = v[3];
			ok = *w > 0 && *h > 0;
		}
		if (data) XFree(data);
	}
	if (!ok) {
		Screen *s = DefaultScreenOfDisplay(d);
		*x = 0; *y = 0; *w = WidthOfScreen(s); *h = HeightOfScreen(s);
		ok = 1;
	}
	XCloseDisplay(d);
	return ok;
}

// EWMH's words: _NET_WM_STATE's actions, and who asks.
enum { stateRemove = 0, stateAdd = 1, fromApp = 1, fromPager = 2 };

// tellWM sends the window manager an EWMH request about window win: the
// message type and its four values (who asks is in the place the message
// type keeps for it).
static void tellWM(Display *d, unsigned long win, const char *type, long l0, long l1, long l2, long l3) {
	XEvent e;
	memset(&e, 0, sizeof e);
	e.xclient.type = ClientMessage;
	e.xclient.window = (Window)win;
	e.xclient.message_type = XInternAtom(d, type, False);
	e.xclient.format = 32;
	e.xclient.data.l[0] = l0;
	e.xclient.data.l[1] = l1;
	e.xclient.data.l[2] = l2;
	e.xclient.data.l[3] = l3;
	XSendEvent(d, DefaultRootWindow(d), False, SubstructureRedirectMask | SubstructureNotifyMask, &e);
}

// maximise asks the window manager to maximise window win (EWMH
// _NET_WM_STATE); without one nothing happens.
static void maximise(unsigned long win) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return;
	tellWM(d, win, "_NET_WM_STATE", stateAdd, XInternAtom(d, "_NET_WM_STATE_MAXIMIZED_VERT", False),
		XInternAtom(d, "_NET_WM_STATE_MAXIMIZED_HORZ", False), fromApp);
	XFlush(d);
	XCloseDisplay(d);
}

// fullState tells how window win is shown: 0 while it is not mapped, 1
// when mapped but not full screen (EWMH _NET_WM_STATE_FULLSCREEN), 2 when
// full screen or out of the window manager's hands (override-redirect:
// GLFW's full screen where it found no window manager); with its size,
// whether it is kept above others (_NET_WM_STATE_ABOVE, not _BELOW) and
// whether it is on every desktop (_NET_WM_DESKTOP 0xFFFFFFFF). d is the
// watchdog's own connection.
static int fullState(Display *d, unsigned long win, int *w, int *h, int *above, int *everywhere) {
	XWindowAttributes wa;
	if (!XGetWindowAttributes(d, (Window)win, &wa) || wa.map_state != IsViewable) {
		return 0;
	}
	*w = wa.width; *h = wa.height;
	*above = 1; *everywhere = 1;
	if (wa.override_redirect) {
		return 2;
	}
	int result = 1, below = 0;
	*above = 0;
	Atom full = XInternAtom(d, "_NET_WM_STATE_FULLSCREEN", False);
	Atom up = XInternAtom(d, "_NET_WM_STATE_ABOVE", False), down = XInternAtom(d, "_NET_WM_STATE_BELOW", False);
	Atom type; int format; unsigned long n, after; unsigned char *data = NULL;
	if (XGetWindowProperty(d, (Window)win, XInternAtom(d, "_NET_WM_STATE", False), 0, 32, False, XA_ATOM,
			&type, &format, &n, &after, &data) == Success && data && format == 32) {
		Atom *atoms = (Atom *)data;
		for (unsigned long i = 0; i < n; i++) {
			if (atoms[i] == full) result = 2;
			if (atoms[i] == up) *above = 1;
			if (atoms[i] == down) below = 1;
		}
	}
	if (data) XFree(data);
	data = NULL;
	*everywhere = 0;
	if (XGetWindowProperty(d, (Window)win, XInternAtom(d, "_NET_WM_DESKTOP", False), 0, 1, False, XA_CARDINAL,
			&type, &format, &n, &after, &data) == Success && data && format == 32 && n == 1) {
		*everywhere = (*(unsigned long *)data & 0xFFFFFFFF) == 0xFFFFFFFF;
	}
	if (data) XFree(data);
	if (below) *above = 0;
	return result;
}

// askFullScreen asks the window manager to show mapped window win full
// screen (EWMH _NET_WM_STATE_FULLSCREEN, added).
static void askFullScreen(Display *d, unsigned long win) {
	tellWM(d, win, "_NET_WM_STATE", stateAdd, XInternAtom(d, "_NET_WM_STATE_FULLSCREEN", False), 0, fromApp);
	XFlush(d);
}

// glfwGetX11Display is GLFW's own connection to the X server (GLFW is in
// the binary, under Fyne).
extern Display *glfwGetX11Display(void);

// holdInput takes the keyboard and the pointer for window win on GLFW's
// connection, so that their events keep coming to the window and none
// reaches the window manager's bindings (keys, and Alt or Ctrl with the
// mouse: other desktops, the desktop's menu), and asks the window manager
// to show win, with everywhere, on every desktop and, with restack, above
// every other window (_NET_WM_STATE_ABOVE added, _BELOW removed). It
// answers X's grab status of the keyboard and, times 16, of the pointer: 0
// when both are held.
static int holdInput(unsigned long win, int everywhere, int restack) {
	Display *d = glfwGetX11Display();
	if (!d) return -1;
	int k = XGrabKeyboard(d, (Window)win, True, GrabModeAsync, GrabModeAsync, CurrentTime);
	int p = XGrabPointer(d, (Window)win, True, ButtonPressMask | ButtonReleaseMask | PointerMotionMask,
		GrabModeAsync, GrabModeAsync, None, None, CurrentTime);
	if (everywhere) {
		tellWM(d, win, "_NET_WM_DESKTOP", 0xFFFFFFFF, fromPager, 0, 0); // all desktops; openbox obeys a pager
	}
	if (restack) {
		tellWM(d, win, "_NET_WM_STATE", stateRemove, XInternAtom(d, "_NET_WM_STATE_BELOW", False), 0, fromApp);
		tellWM(d, win, "_NET_WM_STATE", stateAdd, XInternAtom(d, "_NET_WM_STATE_ABOVE", False), 0, fromApp);
	}
	XFlush(d);
	return k | p << 4;
}

// showAgain asks the window manager to show and activate window win again
// (EWMH _NET_ACTIVE_WINDOW, as a pager: it un-minimises it and goes to its
// desktop).
static void showAgain(Display *d, unsigned long win) {
	tellWM(d, win, "_NET_ACTIVE_WINDOW", fromPager, CurrentTime, 0, 0);
	XMapRaised(d, (Window)win);
	XFlush(d);
}
*/
import "C"

import (
	"image"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// workArea is the room the desktop gives windows, in screen pixels; false
// when there is no X display.
func workArea() (image.Rectangle, bool) {
	var x, y, w, h C.long
	if C.workArea(&x, &y, &w, &h) == 0 {
		return image.Rectangle{}, false
	}
	return image.Rect(int(x), int(y), int(x+w), int(y+h)), true
}

// maximise asks the window manager to maximise w.
func maximise(w fyne.Window) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			C.maximise(C.ulong(x.WindowHandle))
		}
	})
}

// holdFullScreen keeps w full screen for as long as it is open, looking
// every quarter second for ten seconds, then every five (the kiosk: always
// every quarter second, so that it is back before anyone can use its
// absence). Fyne asks the
// window manager once, as the window shows; a busy window manager may not
// have mapped the window yet and drop the request (a framed window with a
// title bar), something may take the window out of full screen (a window
// manager's shortcut, an administrator's tool), or Fyne may miss the last
// resize and draw the content short of the window's edge. Each is mended
// here: the request is made again, and the content is fitted to the window.
// With grab (the kiosk), the window also holds the keyboard and the pointer
// while it is full screen, so that neither reaches the window manager's
// bindings; it is on every desktop, above other windows, and shown again
// if it is minimised.
func holdFullScreen(w fyne.Window, grab bool) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	go func() {
		d := C.XOpenDisplay(nil) // the watchdog's own connection, for its whole life
		if d == nil {
			return
		}
		defer C.XCloseDisplay(d)
		var asked, mismatched, grabbed, seen bool
		var handle uintptr
		var fitted [2]int // the window's size the content was last fitted to
		for tick := 0; ; tick++ {
			if tick < 40 || grab { // starting, or the kiosk: a quarter second
				time.Sleep(250 * time.Millisecond)
			} else {
				time.Sleep(5 * time.Second)
			}
			var canvas fyne.Size
			var scale float32
			fyne.DoAndWait(func() {
				if handle == 0 { // known once the window exists
					nw.RunNative(func(ctx any) {
						if x, ok := ctx.(driver.X11WindowContext); ok {
							handle = x.WindowHandle
						}
					})
				}
				canvas, scale = w.Canvas().Size(), w.Canvas().Scale()
			})
			if handle == 0 || scale <= 0 {
				continue
			}
			var width, height, above, everywhere C.int
			switch C.fullState(d, C.ulong(handle), &width, &height, &above, &everywhere) {
			case 0:
				if grab && seen { // the kiosk, minimised or hidden: shown again
					if !asked {
						slog.Info("window: shown again")
					}
					asked = true
					C.showAgain(d, C.ulong(handle))
				}
				continue
			case 1:
				if !asked {
					slog.Info("window: asked the window manager for full screen again")
				}
				asked = true
				C.askFullScreen(d, C.ulong(handle))
				continue
			}
			asked, seen = false, true
			if grab {
				var r C.int
				fyne.DoAndWait(func() { r = C.holdInput(C.ulong(handle), 1-everywhere, 1-above) }) // on GLFW's connection: its thread
				if (r == 0) != grabbed {
					slog.Info("window: the keyboard and the pointer held", "held", r == 0, "x_grab_status", int(r))
				}
				grabbed = r == 0
			}
			drawn := fyne.NewSize(float32(width)/scale, float32(height)/scale)
			short := canvas.Width < drawn.Width-1 || canvas.Height < drawn.Height-1 // larger: the content's least size
			size := [2]int{int(width), int(height)}
			if short && mismatched && size != fitted { // twice: not a resize on its way; once a size
				slog.Info("window: content fitted to the window", "canvas", canvas, "window_px", size)
				fitted = size
				fyne.Do(func() { w.Resize(drawn) })
			}
			mismatched = short
		}
	}()
}
