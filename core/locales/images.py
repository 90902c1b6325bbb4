"""Strings of core/images.py: why an upload or drawing cannot be used, notes on conversions, step names.

The English texts double as the messages of the `BadImage` errors core raises (see core/images.py),
so the `{fields}` here are the error's `fields`.
"""

EN = {
    # BadImage messages (error.key → text, error.fields fill the braces)
    "img_empty": "The file is empty. Choose an image file (PNG or JPEG work best).",
    "img_too_many_bytes": "The file is {size_mb:.1f} MB, more than the {limit_mb:.0f} MB limit. "
                          "Use a smaller image: a screenshot or a resized photo is plenty.",
    "img_not_image": "This file is not an image this app can read. Accepted formats: {formats}.",
    "img_unsupported_format": "{kind} files are not supported. Export or save the picture as PNG or JPEG "
                              "and upload that.",
    "img_truncated": "The image file is incomplete (it ends too early, perhaps an interrupted download "
                     "or copy). Upload the complete file again.",
    "img_damaged": "The image file is damaged and cannot be decoded. Open it in an image viewer and "
                   "save it again as PNG or JPEG.",
    "img_too_many_pixels": "The image declares {megapixels:,.0f} million pixels, more than "
                           "the {limit:.0f} million this app decodes: such a file could exhaust the server's "
                           "memory. Resize it first.",
    "img_too_small": "The image is only {width}x{height} pixels; it needs at least {min_side} pixels on "
                     "each side.",
    "img_too_thin": "The image is {width}x{height} pixels, too long and thin to use. Crop it to a more "
                    "square shape.",
    "img_mode_unsupported": "The image uses the colour mode {mode}, which this app cannot convert. Save it "
                            "as an ordinary RGB PNG or JPEG.",
    "img_no_ink": "Draw or upload a digit: this image is blank (or almost a single colour), so there is "
                  "nothing to recognise.",
    "img_no_drawing": "Nothing drawn yet: draw a digit on the canvas.",
    "img_bad_canvas": "The drawing could not be read (unexpected data of shape {shape}). Clear the canvas "
                      "and draw again.",
    # notes returned by read_image_with_notes (no fields)
    "img_note_first_frame": "The file holds several frames (an animation or pages); only the first one is used.",
    "img_note_rotated": "The photo was turned upright using its orientation tag.",
    "img_note_shrunk": "The image was large, so it was shrunk before processing.",
    "img_note_transparent": "Transparent areas were filled with white.",
    "img_note_high_depth": "High bit-depth image: its full range was scaled to 0-1.",
    "img_note_cmyk": "Print colours (CMYK) were converted to screen colours (RGB).",
    # names of the preprocessing steps (PreparedImage.steps), key = "img_step_" + step name
    "img_step_original": "Original",
    "img_step_square": "Centre square",
    "img_step_grey": "Greyscale",
    "img_step_inverted": "Inverted (white digit on black, like MNIST)",
    "img_step_inverted_item": "Inverted (light item on black, like Fashion-MNIST)",
    "img_step_cropped": "Cropped to the ink",
    "img_step_resized": "Resized",
    "img_step_centred": "Centred by centre of mass",
}

ZH = {
    "img_empty": "文件是空的。请选择一个图像文件（PNG 或 JPEG 最合适）。",
    "img_too_many_bytes": "文件大小为 {size_mb:.1f} MB，超过了 {limit_mb:.0f} MB 的上限。"
                          "请使用更小的图像：截图或缩小后的照片就足够了。",
    "img_not_image": "这个文件不是本应用能读取的图像。支持的格式：{formats}。",
    "img_unsupported_format": "不支持 {kind} 文件。请把图片导出或另存为 PNG 或 JPEG 后再上传。",
    "img_truncated": "图像文件不完整（提前结束，可能是下载或复制被中断）。请重新上传完整的文件。",
    "img_damaged": "图像文件已损坏，无法解码。请用看图软件打开它，再另存为 PNG 或 JPEG。",
    "img_too_many_pixels": "该图像声明有 {megapixels:,.0f} 百万像素，"
                           "超过了本应用可解码的 {limit:.0f} 百万像素：这样的文件可能耗尽服务器内存。请先缩小它。",
    "img_too_small": "图像只有 {width}x{height} 像素；每条边至少需要 {min_side} 像素。",
    "img_too_thin": "图像为 {width}x{height} 像素，过于细长，无法使用。请把它裁剪得更接近正方形。",
    "img_mode_unsupported": "图像使用的颜色模式 {mode} 无法被本应用转换。请另存为普通的 RGB PNG 或 JPEG。",
    "img_no_ink": "请画一个数字或上传数字图片：这张图是空白的（或几乎只有一种颜色），没有可识别的内容。",
    "img_no_drawing": "还没有画任何东西：请在画布上画一个数字。",
    "img_bad_canvas": "无法读取画布内容（数据形状 {shape} 不符合预期）。请清空画布后重新画。",
    "img_note_first_frame": "该文件包含多帧（动画或多页）；只使用第一帧。",
    "img_note_rotated": "已根据照片的方向标记将其转正。",
    "img_note_shrunk": "图像较大，处理前已先缩小。",
    "img_note_transparent": "透明区域已填充为白色。",
    "img_note_high_depth": "高位深图像：已把其完整取值范围缩放到 0-1。",
    "img_note_cmyk": "印刷颜色（CMYK）已转换为屏幕颜色（RGB）。",
    "img_step_original": "原图",
    "img_step_square": "居中正方形",
    "img_step_grey": "灰度",
    "img_step_inverted": "反色（黑底白字，与 MNIST 一致）",
    "img_step_inverted_item": "反色（黑底浅色物品，与 Fashion-MNIST 一致）",
    "img_step_cropped": "裁剪到笔迹",
    "img_step_resized": "缩放",
    "img_step_centred": "按质心居中",
}
