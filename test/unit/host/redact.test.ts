import { redact } from "../../../providers/host/redact";

test.each([
  { description: "every occurrence", text: "token abc.def and again abc.def", secrets: ["abc.def"], expected: "token [redacted] and again [redacted]" },
  { description: "the longer of overlapping secrets first", text: "abcdef.0123456789abcdef", secrets: ["abcdef", "abcdef.0123456789abcdef"], expected: "[redacted]" },
  { description: "nothing when no secret occurs", text: "all clear", secrets: ["s3cret"], expected: "all clear" },
  { description: "not very short values, which would garble ordinary text", text: "a b c", secrets: ["a"], expected: "a b c" },
])("redacts $description", ({ text, secrets, expected }) => {
  expect(redact(text, secrets)).toBe(expected);
});
