package xendrules

// MaxRequestBody is xend's limit on a request body: a larger one is
// answered 413 Request entity too large, in every xend version read
// (xend-protocol.md §1.3, §1.5). A client must not send more; a simulator
// must refuse more.
const MaxRequestBody = 10000
