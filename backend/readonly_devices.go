package backend

import "context"

func (r *readOnly) AttachDevice(context.Context, string, []byte, DeviceFlags) error {
	return forbidden("virDomainAttachDeviceFlags")
}
func (r *readOnly) DetachDevice(context.Context, string, []byte, DeviceFlags) error {
	return forbidden("virDomainDetachDeviceFlags")
}
func (r *readOnly) UpdateDevice(context.Context, string, []byte, DeviceFlags) error {
	return forbidden("virDomainUpdateDeviceFlags")
}
