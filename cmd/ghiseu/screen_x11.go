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

// maximise asks the window manager to maximise window win (EWMH
// _NET_WM_STATE); without one nothing happens.
static void maximise(unsigned long win) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return;
	XEvent e;
	memset(&e, 0, sizeof e);
	e.xclient.type = ClientMessage;
	e.xclient.window = (Window)win;
	e.xclient.message_type = XInternAtom(d, "_NET_WM_STATE", False);
	e.xclient.format = 32;
	e.xclient.data.l[0] = 1; // _NET_WM_STATE_ADD
	e.xclient.data.l[1] = XInternAtom(d, "_NET_WM_STATE_MAXIMIZED_VERT", False);
	e.xclient.data.l[2] = XInternAtom(d, "_NET_WM_STATE_MAXIMIZED_HORZ", False);
	e.xclient.data.l[3] = 1; // from an application
	XSendEvent(d, DefaultRootWindow(d), False, SubstructureRedirectMask | SubstructureNotifyMask, &e);
	XFlush(d);
	XCloseDisplay(d);
}
*/
import "C"

import (
	"image"

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
