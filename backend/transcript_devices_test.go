package backend_test

import (
	"fmt"

	"xvirsh/backend"
)

// deviceStep is the transcripts' attach, detach and update DOMAIN FILE.
func deviceStep(b backend.Backend, verb, ref string, xml []byte) error {
	dc, ok := b.(backend.DeviceChanger)
	if !ok {
		return fmt.Errorf("%T changes no devices", b)
	}
	switch verb {
	case "attach":
		return dc.AttachDevice(ctx, ref, xml, 0)
	case "detach":
		return dc.DetachDevice(ctx, ref, xml, 0)
	}
	return dc.UpdateDevice(ctx, ref, xml, 0)
}
