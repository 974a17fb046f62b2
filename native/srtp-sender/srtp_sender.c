// srtp_sender: encrypts a batch of RTP packets with SRTP AEAD_AES_128_GCM (RFC 7714) and sends them
// on an already-connected ICE pair's UDP socket in one sendmmsg(2) call. The JS side keeps every
// piece of state (keys, rollover counters, sequence numbers); this only does the per-packet work that
// costs most in JS: a cipher object per packet and a syscall per packet. OpenSSL is Node's own
// (its symbols are exported by the node binary). Not built on Windows (the JS path is used there).
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <node_api.h>
#include <openssl/evp.h>

#define TAG_BYTES 16
#define MAX_BATCH 256
#define MAX_PACKET 1500

typedef struct {
  EVP_CIPHER_CTX *ctx;
  uint8_t salt[12];
  uint8_t *scratch; // MAX_BATCH packets of MAX_PACKET bytes
} Session;

#define CHECK(call)                                                       \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error(env, NULL, "srtp_sender: bad arguments (" #call ")"); \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

static void session_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Session *s = data;
  EVP_CIPHER_CTX_free(s->ctx);
  free(s->scratch);
  free(s);
}

// createSession(key: Buffer(16), salt: Buffer(12)) -> External
static napi_value create_session(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *key, *salt;
  size_t key_len = 0, salt_len = 0;
  if (argc != 2 || napi_get_buffer_info(env, argv[0], &key, &key_len) != napi_ok ||
      napi_get_buffer_info(env, argv[1], &salt, &salt_len) != napi_ok || key_len != 16 ||
      salt_len != 12) {
    napi_throw_type_error(env, NULL, "srtp_sender: createSession(key16, salt12)");
    return NULL;
  }
  Session *s = calloc(1, sizeof(Session));
  s->scratch = malloc((size_t)MAX_BATCH * MAX_PACKET);
  s->ctx = EVP_CIPHER_CTX_new();
  if (!s->scratch || !s->ctx ||
      EVP_EncryptInit_ex(s->ctx, EVP_aes_128_gcm(), NULL, key, NULL) != 1 ||
      EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1) {
    session_finalize(env, s, NULL);
    napi_throw_error(env, NULL, "srtp_sender: cannot set up AES-128-GCM");
    return NULL;
  }
  memcpy(s->salt, salt, 12);
  napi_value external;
  CHECK(napi_create_external(env, s, session_finalize, NULL, &external));
  return external;
}

// One packet: header (AAD, copied), encrypted payload, tag, into out. Returns its length or -1.
static int seal(Session *s, const uint8_t *hdr, size_t hdr_len, const uint8_t *payload,
                size_t payload_len, uint32_t roc, uint8_t *out) {
  // RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt
  uint8_t iv[12] = {0, 0, hdr[8], hdr[9], hdr[10], hdr[11],
                    (uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8), (uint8_t)roc,
                    hdr[2], hdr[3]};
  for (int i = 0; i < 12; i++) iv[i] ^= s->salt[i];
  int n = 0, fin = 0;
  memcpy(out, hdr, hdr_len);
  if (EVP_EncryptInit_ex(s->ctx, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(s->ctx, NULL, &n, hdr, (int)hdr_len) != 1 ||
      EVP_EncryptUpdate(s->ctx, out + hdr_len, &n, payload, (int)payload_len) != 1 ||
      EVP_EncryptFinal_ex(s->ctx, out + hdr_len + n, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, out + hdr_len + n + fin) != 1)
    return -1;
  return (int)(hdr_len + (size_t)n + (size_t)fin + TAG_BYTES);
}

// send(session, fd, ip, port, headers: Buffer, headerBytes, payloads: Buffer[], rocs: Uint32Array)
//   -> packets sent (the first ones; fewer than given when the socket would block or fails, 0 when
//   ip is not a plain IPv4/IPv6 address); throws only on malformed arguments
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "srtp_sender: send takes 8 arguments");
    return NULL;
  }
  Session *s;
  int32_t fd, port;
  uint32_t hdr_len, count;
  char ip[64];
  size_t ip_len = 0, headers_len = 0;
  uint8_t *headers;
  CHECK(napi_get_value_external(env, argv[0], (void **)&s));
  CHECK(napi_get_value_int32(env, argv[1], &fd));
  CHECK(napi_get_value_string_utf8(env, argv[2], ip, sizeof ip, &ip_len));
  CHECK(napi_get_value_int32(env, argv[3], &port));
  CHECK(napi_get_buffer_info(env, argv[4], (void **)&headers, &headers_len));
  CHECK(napi_get_value_uint32(env, argv[5], &hdr_len));
  CHECK(napi_get_array_length(env, argv[6], &count));
  napi_typedarray_type rtype;
  size_t rocs_len;
  void *rocs_data;
  CHECK(napi_get_typedarray_info(env, argv[7], &rtype, &rocs_len, &rocs_data, NULL, NULL));
  const uint32_t *rocs = rocs_data;
  if (rtype != napi_uint32_array || count > MAX_BATCH || rocs_len < count || hdr_len < 12 ||
      (size_t)hdr_len * count > headers_len || port <= 0 || port > 65535) {
    napi_throw_range_error(env, NULL, "srtp_sender: inconsistent batch");
    return NULL;
  }

  struct sockaddr_storage addr;
  socklen_t addr_len;
  memset(&addr, 0, sizeof addr);
  struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;
  if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    addr_len = sizeof *a4;
  } else if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    addr_len = sizeof *a6;
  } else {
    // e.g. a link-local IPv6 address with a zone: nothing sent, the caller's JS path takes over
    napi_value none;
    CHECK(napi_create_uint32(env, 0, &none));
    return none;
  }

  struct iovec iov[MAX_BATCH];
  uint32_t ready = 0;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    uint8_t *payload;
    size_t payload_len;
    CHECK(napi_get_element(env, argv[6], i, &item));
    CHECK(napi_get_buffer_info(env, item, (void **)&payload, &payload_len));
    if (hdr_len + payload_len + TAG_BYTES > MAX_PACKET) {
      napi_throw_range_error(env, NULL, "srtp_sender: packet larger than 1500 bytes");
      return NULL;
    }
    uint8_t *out = s->scratch + (size_t)i * MAX_PACKET;
    int len = seal(s, headers + (size_t)i * hdr_len, hdr_len, payload, payload_len, rocs[i], out);
    if (len < 0) break;
    iov[i].iov_base = out;
    iov[i].iov_len = (size_t)len;
    ready++;
  }

  uint32_t sent = 0;
#ifdef __linux__
  struct mmsghdr msgs[MAX_BATCH];
  memset(msgs, 0, sizeof(struct mmsghdr) * ready);
  for (uint32_t i = 0; i < ready; i++) {
    msgs[i].msg_hdr.msg_name = &addr;
    msgs[i].msg_hdr.msg_namelen = addr_len;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  while (sent < ready) {
    int r = sendmmsg(fd, msgs + sent, ready - sent, MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    sent += (uint32_t)r;
  }
#else
  while (sent < ready) {
    ssize_t r = sendto(fd, iov[sent].iov_base, iov[sent].iov_len, MSG_DONTWAIT,
                       (struct sockaddr *)&addr, addr_len);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    sent++;
  }
#endif
  napi_value result;
  CHECK(napi_create_uint32(env, sent, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "createSession", NAPI_AUTO_LENGTH, create_session, NULL, &fn) !=
          napi_ok ||
      napi_set_named_property(env, exports, "createSession", fn) != napi_ok ||
      napi_create_function(env, "send", NAPI_AUTO_LENGTH, send_batch, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "send", fn) != napi_ok)
    return NULL;
  return exports;
}
