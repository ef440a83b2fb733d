package xendrules

import (
	"fmt"

	"xvirsh/backend/xendhttp"
)

// Limits of xend's HTTP server (xend-protocol.md §1.3).
const (
	// MaxBody is the largest request body xend reads; a larger one gets
	// 413 Request entity too large, in every version that was read.
	MaxBody = 10000
	// MaxHeaderLines is how many header lines xend accepts in a request.
	MaxHeaderLines = 500
)

// Content types xend sends (§1.4): S-expressions, and its text/plain
// error pages.
const (
	ContentTypeSXP   = "application/sxp"
	ContentTypePlain = "text/plain"
)

// reason is the phrase of xend's own status table (xen/web/http.py),
// which differ in case from Go's: "Not found", not "Not Found" (§1.4).
// (A switch, not a map: a package-level map is built by every start-up.)
func reason(status int) (string, bool) {
	switch status {
	case 200:
		return "OK", true
	case 201:
		return "Created", true
	case 202:
		return "Accepted", true
	case 204:
		return "No content", true
	case 400:
		return "Bad request", true
	case 404:
		return "Not found", true
	case 405:
		return "Method not allowed", true
	case 406:
		return "Not acceptable", true
	case 413:
		return "Request entity too large", true
	case 500:
		return "Internal server error", true
	case 501:
		return "Not implemented", true
	}
	return "", false
}

// Reason is xend's standard phrase for status.
func Reason(status int) string {
	if p, ok := reason(status); ok {
		return p
	}
	return xendhttp.StatusText(status)
}

// Custom reason phrases xend sets with setResponseCode (§1.4-1.5, §3).
const (
	ReasonCreated        = "created"         // op=create's 201
	ReasonInvalidRequest = "Invalid request" // 406: no op, or several
)

// ReasonRequestFailed is the phrase of a synchronous op that raised.
func ReasonRequestFailed(op string) string { return "Request failed: " + op }

// Texts xend puts in its error replies (§1.5, §3).

// OpNotImplemented is both the reason phrase and the body of the 501 for
// an op that has no handler.
func OpNotImplemented(op string) string { return "Operation not implemented: " + op }

// MethodNotSupported is the body of the 501 for an HTTP method xend does
// not serve.
func MethodNotSupported(method string) string {
	return fmt.Sprintf("Request method not supported (%s)", method)
}

// NotFound is the 404 body for a path part that names nothing
// (SrvDir.getChild: noChild('Not found: ' + x)).
func NotFound(part string) string { return "Not found: " + part }

// NoSuchDomain is the 404 body for an unknown domain reference: old xend
// (formats 1 and 2) raised XendError("No such domain X"); later ones raise
// XendInvalidDomain, an XML-RPC Fault with code 3 whose text is
// <Fault 3: 'X'>.
func NoSuchDomain(format int, ref string) string {
	if format >= 3 {
		return fmt.Sprintf("<Fault 3: %s>", Repr(ref))
	}
	return "No such domain " + ref
}

// MissingParameter and TooManyValues are FormFn's refusals (§1.5).
func MissingParameter(name string) string { return "Missing parameter: " + name }

// TooManyValues: see MissingParameter.
func TooManyValues(name string) string { return "Too many values for " + name }

// InvalidReason is XendDomainInfo.shutdown's refusal of an unknown reason.
func InvalidReason(reason string) string { return "Invalid reason: " + reason }

// NotHalted is op=delete's refusal of a domain that is not halted (§3).
const NotHalted = "Domain is not halted."

// ShutdownReasons are the reasons op=shutdown accepts (§3).
var ShutdownReasons = []string{"poweroff", "reboot", "halt", "suspend"}
