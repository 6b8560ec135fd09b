"""The Python one-liner of the README, as a test: ctypes loads libnerq.so and scores a package."""
import ctypes, json, pathlib, sys

lib = ctypes.CDLL(str(pathlib.Path(sys.argv[1]).resolve()))
lib.nerq_score_str.restype = ctypes.c_void_p
lib.nerq_score_str.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.nerq_free.argtypes = [ctypes.c_void_p]
request = pathlib.Path(sys.argv[2]).read_bytes()
ptr = lib.nerq_score_str(None, request)
try:
    report = json.loads(ctypes.string_at(ptr))
finally:
    lib.nerq_free(ptr)
assert report["kind"] == "nerq.report", report
assert report["trust_score"] == 45.0 and report["grade"] == "D", report["trust_score"]
print("ctypes: 1 passed, 0 failed")
