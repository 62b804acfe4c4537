// Runs a cloud function written by wxacode (argv[2]) against wx-server-sdk
// with the network stubbed out, and prints what the SDK would send.
const path = require('path')
const tcb = require('@cloudbase/node-sdk')
const proto = Object.getPrototypeOf(tcb.init({ env: 'stub', secretId: 'stub', secretKey: 'stub' }))
const seen = { api: null, body: null, upload: null }
const pb = {
  read(buf) {
    const out = []; let i = 0
    const varint = () => { let r = 0, s = 0, b; do { b = buf[i++]; r += (b & 0x7f) * 2 ** s; s += 7 } while (b & 0x80); return r }
    while (i < buf.length) {
      const tag = varint(), num = Math.floor(tag / 8), wt = tag & 7
      if (wt === 0) out.push([num, varint()])
      else if (wt === 2) { const n = varint(); out.push([num, buf.subarray(i, i + n)]); i += n }
      else throw new Error('wire type ' + wt)
    }
    return out
  },
  bytes(num, b) { const len = []; let n = b.length; do { let x = n & 0x7f; n >>>= 7; len.push(n ? x | 0x80 : x) } while (n); return Buffer.concat([Buffer.from([num * 8 + 2, ...len]), b]) },
}
proto.callCompatibleWxOpenApi = async function ({ apiName, requestData }) {
  seen.api = apiName
  // CommApiData: 2 openapiData { 1 pairs { 1 key, 2 value (JSON) } }
  const data = pb.read(requestData).find(f => f[0] === 2)[1]
  seen.body = {}
  for (const [n, pair] of pb.read(data)) {
    if (n !== 1) continue
    const kv = pb.read(pair)
    seen.body[kv.find(f => f[0] === 1)[1].toString()] = JSON.parse(kv.find(f => f[0] === 2)[1].toString())
  }
  // CommOpenApiResp: 1 respData, 2 contentType
  return Buffer.concat([pb.bytes(1, Buffer.from('\xff\xd8\xff image')), pb.bytes(2, Buffer.from('image/jpeg'))])
}
proto.uploadFile = async function ({ cloudPath, fileContent }) {
  seen.upload = { cloudPath, bytes: fileContent.length }
  return { fileID: 'cloud://stub/' + cloudPath }
}
const fn = require(path.resolve(process.argv[2]))
fn.main({}, {}).then(r => {
  seen.returned = r
  console.log(JSON.stringify(seen))
}, e => { console.log(JSON.stringify({ ...seen, error: String(e && (e.errMsg || e.message) || e) })); process.exit(1) })
