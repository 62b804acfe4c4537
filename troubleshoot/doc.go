// Package troubleshoot explains failed requests: HintFor is the text for an
// errcode (what it means, its usual causes, its fixes), and Diagnose adds
// what is specific to one request and the fixes that can be applied with one
// key (Action), the fit-scene rewrite from wechat/scene among them. It sits
// above wechat and wechat/scene, so it can use both; the command line and the
// designer only display what it says.
package troubleshoot
