// Turns each textarea[data-rich-text-editor] into a rich-text editor.
// The toolbar offers only what core/richtext.py keeps when a body is saved.
const SELECTOR = "textarea[data-rich-text-editor]";

function createEditor(editor, textarea) {
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  return new editor.Editor({
    element: wrapper,
    content: textarea.value,
    // Tiptap would add its base styles as an inline <style> element, which
    // the Content-Security-Policy refuses; editor.css carries them instead.
    injectCSS: false,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        ...(label ? { "aria-label": label.textContent.replace(/:\s*$/, "") } : {}),
      },
    },
    extensions: [
      editor.Document,
      editor.Paragraph,
      editor.Text,
      editor.HardBreak,
      editor.Dropcursor,
      editor.Gapcursor,
      editor.History,
      editor.Menu,
      editor.Heading.configure({ levels: [2, 3, 4] }),
      editor.Bold,
      editor.Italic,
      editor.BulletList,
      editor.OrderedList,
      editor.ListItem,
      editor.Blockquote,
      editor.Link,
      editor.Table,
      editor.TableRow,
      editor.TableHeader,
      editor.TableCell,
    ],
    onUpdate({ editor: instance }) {
      const html = instance.getHTML();
      // An empty editor holds one empty paragraph: store an empty body.
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
    },
  });
}

async function start() {
  const textareas = [...document.querySelectorAll(SELECTOR)];
  if (textareas.length === 0) return;
  const editor = await import(textareas[0].dataset.richTextEditor);
  for (const textarea of textareas) {
    if (!textarea.closest(".prose-editor")) createEditor(editor, textarea);
  }
}

start();
